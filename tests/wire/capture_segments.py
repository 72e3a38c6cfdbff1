#!/usr/bin/env python3
# Captures real Linux TCP segments through a TUN device, for captures.h and the fuzz seed corpus.
#
# Run it only inside a private network namespace, never on the host's interfaces:
#   sudo unshare -n python3 tests/wire/capture_segments.py \
#       --header tests/wire/captures.h --corpus corpus/fuzz/wire_parse
# The kernel's sockets sit on 192.0.2.1 / 2001:db8::1 (TEST-NET); this script plays the peer
# 192.0.2.2 / 2001:db8::2 by writing crafted segments into the TUN device and reading the replies.
# A TUN device (not lo) is used so checksums are complete rather than offload-partial.
import argparse
import fcntl
import os
import select
import socket
import struct
import subprocess
import time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_bytes(sport, dport, seq, ack, flags, win, opts):
    doff = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + opts


def with_tcp_checksum(tcp, pseudo):
    c = csum(pseudo + tcp)
    return tcp[:16] + struct.pack("!H", c) + tcp[18:]


def ipv4(src, dst, *tcp_args):
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = tcp_bytes(*tcp_args)
    tcp = with_tcp_checksum(tcp, s + d + struct.pack("!BBH", 0, 6, len(tcp)))
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, s, d)
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + tcp


def ipv6(src, dst, *tcp_args):
    s = socket.inet_pton(socket.AF_INET6, src)
    d = socket.inet_pton(socket.AF_INET6, dst)
    tcp = tcp_bytes(*tcp_args)
    tcp = with_tcp_checksum(tcp, s + d + struct.pack("!IxxxB", len(tcp), 6))
    return struct.pack("!IHBB16s16s", 0x60000000, len(tcp), 6, 64, s, d) + tcp


class Tun:
    def __init__(self):
        self.fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
        sh("ip link set lo up")
        sh("sysctl -qw net.ipv6.conf.tun0.router_solicitations=0")
        sh("ip addr add 192.0.2.1/24 dev tun0")
        sh("ip -6 addr add 2001:db8::1/64 dev tun0 nodad")
        sh("ip link set tun0 up")
        time.sleep(0.2)

    def write(self, packet):
        os.write(self.fd, packet)

    def read_tcp(self, timeout=1.0):
        """The next TCP packet the kernel sends; anything else (ICMPv6, ...) is skipped."""
        end = time.time() + timeout
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], end - time.time())
            if not ready:
                break
            p = os.read(self.fd, 65536)
            if (p[0] >> 4 == 4 and p[9] == 6) or (p[0] >> 4 == 6 and p[6] == 6):
                return p
        raise RuntimeError("the kernel sent no TCP packet")


def tcp_offset(p):
    return (p[0] & 15) * 4 if p[0] >> 4 == 4 else 40


def ts_val(p):
    """The TS val of a packet's timestamp option, to echo it."""
    off = tcp_offset(p)
    opts = p[off + 20 : off + (p[off + 12] >> 4) * 4]
    i = 0
    while i < len(opts) and opts[i] != 0:
        if opts[i] == 1:
            i += 1
            continue
        if opts[i] == 8:
            return struct.unpack("!I", opts[i + 2 : i + 6])[0]
        i += opts[i + 1]
    return 0


def capture():
    tun = Tun()
    got = []

    def peer_opts(tsval, tsecr):
        return bytes([2, 4, 5, 0xB4, 4, 2, 8, 10]) + struct.pack("!II", tsval, tsecr) + bytes([1, 3, 3, 7])

    # Active open over IPv4: SYN, then (after a crafted SYN-ACK) ACK, data, FIN.
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setblocking(False)
    c.bind(("192.0.2.1", 40000))
    try:
        c.connect(("192.0.2.2", 8080))
    except BlockingIOError:
        pass
    syn = tun.read_tcp()
    got.append(("v4_syn", "kernel SYN from connect(): all options Linux sends", syn))
    sport, _, kseq = struct.unpack("!HHI", syn[20:28])
    tun.write(ipv4("192.0.2.2", "192.0.2.1", 8080, sport, 1000000, kseq + 1, SYN | ACK, 65535,
                   peer_opts(7000, ts_val(syn))))
    got.append(("v4_ack", "kernel ACK completing the handshake after a crafted SYN-ACK",
                tun.read_tcp()))
    time.sleep(0.05)
    c.setblocking(True)
    c.send(b"hello, tcpconform\n")
    got.append(("v4_data", "kernel data segment (18 bytes, PSH) from send()", tun.read_tcp()))
    c.close()
    got.append(("v4_fin", "kernel FIN from close() after the data", tun.read_tcp()))

    # Passive open over IPv4: a crafted SYN to a listener.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("192.0.2.1", 80))
    listener.listen(8)
    tun.write(ipv4("192.0.2.2", "192.0.2.1", 4000, 80, 12345, 0, SYN, 64240, peer_opts(5000, 0)))
    got.append(("v4_synack", "kernel SYN-ACK from a listener to a crafted SYN", tun.read_tcp()))

    # A SYN to a port nobody listens on.
    tun.write(ipv4("192.0.2.2", "192.0.2.1", 4001, 81, 12345, 0, SYN, 64240, peer_opts(5000, 0)))
    got.append(("v4_rst", "kernel RST to a SYN for a closed port", tun.read_tcp()))

    # IPv6: active and passive open.
    c6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    c6.setblocking(False)
    c6.bind(("2001:db8::1", 40001))
    try:
        c6.connect(("2001:db8::2", 8080))
    except BlockingIOError:
        pass
    got.append(("v6_syn", "kernel IPv6 SYN from connect()", tun.read_tcp()))
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.bind(("2001:db8::1", 80))
    l6.listen(8)
    tun.write(ipv6("2001:db8::2", "2001:db8::1", 4002, 80, 777, 0, SYN, 64800, peer_opts(5000, 0)))
    got.append(("v6_synack", "kernel IPv6 SYN-ACK from a listener", tun.read_tcp()))
    return got


def tcpdump_line(p):
    """A tcpdump-style one-line summary, decoded independently of the C++ codec."""
    v6 = p[0] >> 4 == 6
    off = tcp_offset(p)
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    src = socket.inet_ntop(fam, p[8:24] if v6 else p[12:16])
    dst = socket.inet_ntop(fam, p[24:40] if v6 else p[16:20])
    sport, dport, seq, ack, doff, flags, win = struct.unpack("!HHIIBBH", p[off : off + 16])
    hl = (doff >> 4) * 4
    plen = len(p) - off - hl
    names = "".join(c for bit, c in [(SYN, "S"), (FIN, "F"), (PSH, "P"), (RST, "R"), (ACK, ".")]
                    if flags & bit)
    out = f"{'IP6' if v6 else 'IP'} {src}.{sport} > {dst}.{dport}: Flags [{names}], "
    if flags & (SYN | FIN | RST) or plen:
        out += f"seq {seq}" + (f":{seq + plen}" if plen else "") + ", "
    if flags & ACK:
        out += f"ack {ack}, "
    out += f"win {win}"
    opts, i, words = p[off + 20 : off + hl], 0, []
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            words.append("eol")
            break
        if kind == 1:
            words.append("nop")
            i += 1
            continue
        body = opts[i + 2 : i + opts[i + 1]]
        words.append({2: lambda: "mss %d" % struct.unpack("!H", body)[0],
                      3: lambda: "wscale %d" % body[0],
                      4: lambda: "sackOK",
                      8: lambda: "TS val %d ecr %d" % struct.unpack("!II", body)}
                     .get(kind, lambda: "unknown-%d" % kind)())
        i += opts[i + 1]
    if words:
        out += f", options [{','.join(words)}]"
    return out + f", length {plen}"


def write_header(path, got):
    parts = []
    for name, intent, p in got:
        const = "k" + "".join(w.capitalize() for w in name.split("_"))
        body = ", ".join("0x%02x" % b for b in p)
        parts.append(f"// {intent}.\n// {tcpdump_line(p)}\n"
                     f"inline constexpr std::array<std::uint8_t, {len(p)}> {const}{{{{{body}}}}};\n")
    with open(path, "w") as f:
        f.write("// Real Linux segments captured through a TUN device in a private network namespace\n"
                "// (TEST-NET addresses) by capture_segments.py, with a tcpdump-style line each.\n"
                "#pragma once\n\n#include <array>\n#include <cstdint>\n\n"
                "namespace tcpconform::wire::testdata {\n\n" + "\n".join(parts) +
                "\n}  // namespace tcpconform::wire::testdata\n")
    subprocess.run(["clang-format", "-i", path], check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--header", help="write the C++ header of byte arrays here")
    ap.add_argument("--corpus", help="write one .bin file per segment into this directory")
    args = ap.parse_args()
    got = capture()
    for name, _, p in got:
        print(name, p.hex())
        if args.corpus:
            with open(os.path.join(args.corpus, name + ".bin"), "wb") as f:
                f.write(p)
    if args.header:
        write_header(args.header, got)


if __name__ == "__main__":
    main()
