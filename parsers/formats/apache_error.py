"""Apache httpd error log, 2.2 (`[date] [level] message`) and 2.4 (`[date] [module:level] [pid N] message`)."""

from parsers.formats.base import regex_format

FORMAT = regex_format(
    'apache-error',
    r'\[(?P<ts>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4})\] '
    r'\[(?:(?P<comp>[\w-]+):)?(?P<level>[a-z]+\d?)\] (?:\[pid [^\]]*\] )?(?:\[client [^\]]*\] )?(?P<msg>.*)',
    (
        '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
        '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
        '[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does '
        'not exist: /usr/local/apache2/htdocs/favicon.ico',
    ),
)
