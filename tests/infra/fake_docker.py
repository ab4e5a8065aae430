"""Stand-ins for the docker CLI and curl, enough for the deploy command's calls: no Docker engine runs here.

State lives in the JSON file named by FAKE_DOCKER_STATE. An image whose name contains `broken` starts and exits at
once, as a container that crashes on start-up does; curl answers while the app container runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(program: str, args: list[str]) -> int:
    state_file = Path(os.environ['FAKE_DOCKER_STATE'])
    state = json.loads(state_file.read_text()) if state_file.exists() else {'containers': {}, 'pulled': []}
    containers = state['containers']
    if program == 'curl':
        return 0 if containers.get(os.environ['FAKE_DOCKER_APP'], {}).get('running') else 7
    code = 0
    match args:
        case ['pull', image]:
            state['pulled'].append(image)
        case ['container', 'inspect', name]:
            code = 0 if name in containers else 1
        case ['inspect', '--format', template, name]:
            if name not in containers:
                return 1
            field = 'running' if 'Running' in template else 'image'
            print(str(containers[name][field]).lower() if field == 'running' else containers[name][field])
        case ['rm', '--force', name]:
            code = 0 if containers.pop(name, None) else 1
        case ['stop', *options_and_names]:
            names = options_and_names[2:] if options_and_names[0] == '--time' else options_and_names
            state.setdefault('stops', []).append(options_and_names)
            for name in names:
                if name in containers:
                    containers[name]['running'] = False
            code = 0 if all(name in containers for name in names) else 1
        case ['rename', old, new]:
            containers[new] = containers.pop(old)
        case ['start', name]:
            containers[name]['running'] = 'broken' not in containers[name]['image']
        case ['run', *arguments]:
            options, image, command = _split_run(arguments)
            name = options[options.index('--name') + 1]
            containers[name] = {'image': image, 'running': 'broken' not in image, 'options': options,
                                'command': command}
        case ['logs', *_] | ['image', 'prune', *_] | ['login', *_]:
            pass
        case _:
            print(f'fake docker: unexpected {args}', file=sys.stderr)
            return 2
    state_file.write_text(json.dumps(state))
    return code


def _split_run(arguments: list[str]) -> tuple[list[str], str, list[str]]:
    """`docker run`'s options, image and command: every option but these few flags takes a value."""
    flags = {'--detach', '--read-only', '--no-healthcheck'}
    position = 0
    while arguments[position].startswith('--'):
        position += 1 if arguments[position] in flags or '=' in arguments[position] else 2
    return arguments[:position], arguments[position], arguments[position + 1:]


if __name__ == '__main__':
    sys.exit(main(Path(sys.argv[1]).name, sys.argv[2:]))
