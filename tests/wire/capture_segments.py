# Captures real kernel TCP segments through a TUN device inside a private netns (run under unshare -n).
import fcntl, os, socket, struct, subprocess, time, select, sys

TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000

def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)

fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
sh("ip link set lo up")
sh("sysctl -qw net.ipv6.conf.tun0.router_solicitations=0 || true")
sh("ip addr add 192.0.2.1/24 dev tun0")
sh("ip -6 addr add 2001:db8::1/64 dev tun0 nodad")
sh("ip link set tun0 up")
time.sleep(0.2)

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def read_tcp(timeout=1.0):
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], end - time.time())
        if not r: break
        p = os.read(fd, 65536)
        v = p[0] >> 4
        if v == 4 and p[9] == 6: return p
        if v == 6 and p[6] == 6: return p
    raise RuntimeError("no TCP packet")

def tcp4(src, dst, sport, dport, seq, ack, flags, win, opts=b"", payload=b""):
    doff = (20 + len(opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + opts + payload
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    ph = s + d + struct.pack("!BBH", 0, 6, len(tcp))
    c = csum(ph + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp

def tcp6(src, dst, sport, dport, seq, ack, flags, win, opts=b"", payload=b""):
    doff = (20 + len(opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + opts + payload
    s, d = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    ph = s + d + struct.pack("!IxxxB", len(tcp), 6)
    c = csum(ph + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!IHBB16s16s", 0x60000000, len(tcp), 6, 64, s, d)
    return ip + tcp

def fields(p):
    v = p[0] >> 4
    off = (p[0] & 15) * 4 if v == 4 else 40
    sport, dport, seq, ack, doff, fl, win = struct.unpack("!HHIIBBH", p[off:off+16])
    return off, sport, dport, seq, ack, fl, win

out = []
def record(name, p):
    out.append((name, p))

SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08
peer_opts = bytes([2, 4, 0x05, 0xb4, 4, 2, 8, 10]) + struct.pack("!II", 5000, 0) + bytes([1, 3, 3, 7])

# 1. Active open, IPv4: kernel SYN; reply SYN-ACK; kernel ACK; kernel data; kernel FIN.
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.setblocking(False)
c.bind(("192.0.2.1", 40000))
try: c.connect(("192.0.2.2", 8080))
except BlockingIOError: pass
syn = read_tcp(); record("v4_syn", syn)
_, sp, dp, kseq, _, _, _ = fields(syn)
kts = struct.unpack("!I", syn[20+20+8:20+20+12])[0] if False else None
# find kernel TS val to echo
opts = syn[40:20 + (syn[32] >> 4) * 4]
i = 0; tsval = 0
while i < len(opts):
    if opts[i] == 1: i += 1; continue
    if opts[i] == 0: break
    if opts[i] == 8: tsval = struct.unpack("!I", opts[i+2:i+6])[0]
    i += opts[i+1]
isn = 1000000
synack_opts = bytes([2, 4, 0x05, 0xb4, 4, 2, 8, 10]) + struct.pack("!II", 7000, tsval) + bytes([1, 3, 3, 7])
os.write(fd, tcp4("192.0.2.2", "192.0.2.1", 8080, sp, isn, kseq + 1, SYN | ACK, 65535, synack_opts))
ack = read_tcp(); record("v4_ack", ack)
time.sleep(0.05)
c.setblocking(True)
c.send(b"hello, tcpconform\n")
data = read_tcp(); record("v4_data", data)
c.close()
fin = read_tcp(); record("v4_fin", fin)

# 2. Passive open, IPv4: peer SYN to a listener -> kernel SYN-ACK.
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("192.0.2.1", 80)); l.listen(8)
os.write(fd, tcp4("192.0.2.2", "192.0.2.1", 4000, 80, 12345, 0, SYN, 64240, peer_opts))
record("v4_synack", read_tcp())

# 3. SYN to a closed port -> kernel RST|ACK.
os.write(fd, tcp4("192.0.2.2", "192.0.2.1", 4001, 81, 12345, 0, SYN, 64240, peer_opts))
record("v4_rst", read_tcp())

# 4. IPv6 active open: kernel SYN.
c6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
c6.setblocking(False)
c6.bind(("2001:db8::1", 40001))
try: c6.connect(("2001:db8::2", 8080))
except BlockingIOError: pass
record("v6_syn", read_tcp())

# 5. IPv6 passive: SYN-ACK.
l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
l6.bind(("2001:db8::1", 80)); l6.listen(8)
os.write(fd, tcp6("2001:db8::2", "2001:db8::1", 4002, 80, 777, 0, SYN, 64800, peer_opts))
record("v6_synack", read_tcp())

for name, p in out:
    print(name, p.hex())
