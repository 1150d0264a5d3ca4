"""A keep-alive HTTP/1.1 server with Nagle's algorithm on (no TCP_NODELAY)
that writes some answers in two sends, headers then body: the kind of
server that waits for the client's ACK before the body goes out (bench/ack_stall.sh).

usage: nagle_server.py PORTFILE SPLIT_AFTER [CERT KEY]
Answers every request with a DynamoDB GetItem body. The first SPLIT_AFTER
answers on each connection go out in one send, the later ones in two.
With CERT and KEY (PEM files) it speaks TLS: each send is then one TLS
record, so the body's record waits for the ACK of the headers' record.
"""
import os
import socket
import ssl
import sys
import threading
import zlib

BODY = (
    b'{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},'
    b'"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}'
)


def serve(conn, split_after, tls):
    if tls is not None:
        try:
            conn = tls.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()
            return
    buf = b""
    answered = 0
    with conn:
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buf) < length:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            buf = buf[length:]
            answered += 1
            headers = (
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                b"x-amzn-RequestId: nagle\r\nx-amz-crc32: %d\r\nContent-Length: %d\r\n\r\n"
                % (zlib.crc32(BODY), len(BODY))
            )
            if answered <= split_after:
                conn.sendall(headers + BODY)
            else:
                conn.sendall(headers)
                conn.sendall(BODY)


def main():
    portfile, split_after = sys.argv[1], int(sys.argv[2])
    tls = None
    if len(sys.argv) > 4:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[3], sys.argv[4])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(portfile + ".tmp", portfile)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, split_after, tls), daemon=True).start()


if __name__ == "__main__":
    main()
