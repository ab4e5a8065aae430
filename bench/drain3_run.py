"""Drain3 with its default settings over every line of a file, as a user would run it (the benchmark's baseline)."""

import sys

from drain3 import TemplateMiner


def main() -> None:
    miner = TemplateMiner()
    with open(sys.argv[1], encoding='utf-8', errors='replace') as handle:
        for line in handle:
            miner.add_log_message(line.rstrip('\n'))
    print(f'{len(miner.drain.clusters)} clusters')


if __name__ == '__main__':
    main()
