from parsers import Group, analyze_lines
from parsers.titles import example_values, group_title, slot_values

SPRING_CRASH = [
    '2026-11-26 10:00:00.000 ERROR 1 --- [nio-8080-exec-2] o.a.c.c.C.[.[.[/].[dispatcherServlet] : '
    'Servlet.service() threw exception',
    'java.lang.NullPointerException: Cannot invoke "com.acme.Customer.discount()" because "this.customer" is null',
    '\tat com.acme.orders.OrderService.total(OrderService.java:57)',
    '\tat com.acme.orders.OrderController.get(OrderController.java:31)',
]
PYTHON_CHAIN = [
    '2026-11-26 09:14:11,392 ERROR [web.app] Unhandled exception while serving /api/orders/1842',
    'Traceback (most recent call last):',
    '  File "/srv/app/db/pool.py", line 27, in _connect',
    '    raise OSError("socket closed")',
    'OSError: socket closed',
    '',
    'During handling of the above exception, another exception occurred:',
    '',
    'Traceback (most recent call last):',
    '  File "/srv/app/db/pool.py", line 31, in _connect',
    '    raise ConnectionError("could not connect")',
    'ConnectionError: could not connect to server: Connection refused',
]


def test_a_java_crash_is_titled_by_its_exception_not_the_logger_line() -> None:
    [group] = analyze_lines(SPRING_CRASH).groups
    assert 'dispatcherServlet' in group.template
    assert group_title(group) == SPRING_CRASH[1]


def test_a_chained_python_crash_is_titled_by_the_exception_that_ended_it() -> None:
    [group] = analyze_lines(PYTHON_CHAIN).groups
    assert group_title(group) == 'ConnectionError: could not connect to server: Connection refused'


def test_a_group_without_a_crash_is_titled_by_its_template() -> None:
    [group] = analyze_lines(['2026-01-01 10:00:00 WARN retrying in 5s']).groups
    assert group_title(group) == group.template == 'retrying in <*>'


def test_a_crash_whose_exception_line_was_condensed_away_keeps_its_template() -> None:
    group = Group(id=1, template='worker died', level='ERROR', count=1, first_line=1,
                  example='worker died\n[... 40 line(s) left out ...]', exception='java.io.IOException')
    assert group_title(group) == 'worker died'


def test_values_are_read_from_the_end_of_the_line_the_template_came_from() -> None:
    line = '2026-11-26 10:00:01.000 INFO 1 --- [nio-8080-exec-2] c.a.api.Hello : request id=abc123 from host web-7'
    template = '<*> --- [<*>] c.a.api.Hello : request id=<*> from host <*>'
    assert slot_values(template, line) == ['1', 'nio-8080-exec-2', 'abc123', 'web-7']


def test_a_header_glued_to_the_first_word_is_left_out_of_it() -> None:
    line = '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579'
    assert slot_values('onStandStepChanged <*>', line) == ['3579']


def test_several_values_in_one_word_are_told_apart() -> None:
    assert slot_values('from <*>:<*> at <*>.', 'conn from 10.0.0.7:5432 at noon.') == ['10.0.0.7', '5432', 'noon']


def test_words_that_do_not_line_up_give_no_values_rather_than_wrong_ones() -> None:
    assert slot_values('user <*> logged in', 'user "Ann Lee" logged in') is None
    assert slot_values('disk <*> full', 'disk /var nearly full') is None
    assert slot_values('disk <*> full', 'full') is None
    assert slot_values('disk full', 'disk full') == []


def test_a_headerless_crash_takes_its_values_from_its_exception_line() -> None:
    lines = ['Traceback (most recent call last):', '  File "job.py", line 3, in <module>',
             'KeyError: 4417']
    [group] = analyze_lines(lines).groups
    assert group.template == 'KeyError: <*>'
    assert example_values(group) == ['4417']
