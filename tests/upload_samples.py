"""Logs under the names real systems give them, and small but real files of the binary kinds people upload by
mistake, made on the spot."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib

LOG = b''.join(b'2026-01-01 10:00:%02d ERROR worker failed: connection refused\n' % (n % 60) for n in range(200))
# Tomcat's console log, a rotated application log, and syslog as Debian (syslog) and Red Hat (messages) name it.
CATALINA_OUT = (
    b'26-Nov-2026 09:14:02.101 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [2034] ms\n'
    b'26-Nov-2026 09:15:40.377 SEVERE [http-nio-8080-exec-3] org.apache.catalina.core.StandardWrapperValve.invoke '
    b'Servlet.service() for servlet [dispatcherServlet] threw exception\n'
    b'java.lang.NullPointerException: Cannot invoke "com.shop.Cart.total()" because "cart" is null\n'
    b'\tat com.shop.CheckoutController.pay(CheckoutController.java:88)\n'
)
ROTATED_APP_LOG = (
    b'2026-11-25 23:59:58,004 INFO [scheduler] nightly export started\n'
    b'2026-11-25 23:59:59,870 ERROR [export] upload to s3://reports failed: Access Denied\n'
)
SYSLOG = (
    b'Nov 26 09:14:02 web-1 systemd[1]: Started nginx.service - A high performance web server.\n'
    b'Nov 26 09:14:07 web-1 kernel: [ 8812.551201] Out of memory: Killed process 2211 (java) total-vm:8123456kB\n'
)
NAMED_LOGS = {'catalina.out': CATALINA_OUT, 'app.log.1': ROTATED_APP_LOG, 'syslog': SYSLOG, 'messages': SYSLOG}


def png_image(side: int = 32) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

    rows = b''.join(b'\x00' + bytes((x * 7 + y * 3) % 256 for x in range(side * 3)) for y in range(side))
    header = struct.pack('>IIBBBBB', side, side, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')


def zip_of_logs() -> bytes:
    """Stored, not deflated: the log inside is plain text, so only the container gives it away."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as archive:
        archive.writestr('app.log', LOG)
    return out.getvalue()


def tar_of_logs() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode='w') as archive:
        member = tarfile.TarInfo('app.log')
        member.size = len(LOG)
        archive.addfile(member, io.BytesIO(LOG))
    return out.getvalue()


def pdf_document() -> bytes:
    stream = zlib.compress(b'BT /F1 12 Tf 72 712 Td (connection refused) Tj ET' * 40)
    header = f'1 0 obj\n<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n'.encode()
    return b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' + header + stream + b'\nendstream\nendobj\n%%EOF\n'


def elf_program() -> bytes:
    """An x86-64 Linux executable's header (what `file` calls "ELF 64-bit LSB executable") and some machine code."""
    ident = b'\x7fELF\x02\x01\x01' + bytes(9)
    header = struct.pack('<HHIQQQIHHHHHH', 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    return ident + header + bytes(range(256)) * 16
