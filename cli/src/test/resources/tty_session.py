"""Drives `gantry run -it` through a pseudo-terminal, as a user at a terminal would.

usage: tty_session.py GANTRY SOCKET IMAGE NAME
Prints one line per check, "name: ok" or "name: FAIL <detail>", then the session's exit status.
Steps: the shell prompt appears; `stty size` shows the terminal's size; after the window is
resized (TIOCSWINSZ + SIGWINCH to gantry) `stty size` shows the new one; a typed ctrl-c reaches
the shell as a key (raw mode) rather than ending gantry; ctrl-p ctrl-q detaches with exit 0.
"""
import fcntl, os, pty, select, signal, struct, sys, termios, time

gantry, socket, image, name = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(gantry, [gantry, '-H', 'unix://' + socket, 'run', '-it', '--name', name, image, 'sh'])

def winsize(rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))

winsize(30, 100)
seen = b''

def expect(pattern, timeout=15):
    global seen
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            seen += data
            if pattern in seen:
                seen = seen[seen.index(pattern) + len(pattern):]
                return True
    return False

def check(label, ok):
    print('%s: %s' % (label, 'ok' if ok else 'FAIL ' + repr(seen[-300:])), flush=True)

check('prompt', expect(b'# '))
os.write(fd, b'stty size\r')
check('size', expect(b'30 100'))
winsize(40, 120)
os.kill(pid, signal.SIGWINCH)
time.sleep(0.5)
os.write(fd, b'stty size\r')
check('resize', expect(b'40 120'))
os.write(fd, b'sleep 30\r')
time.sleep(0.3)
os.write(fd, b'\x03')
check('ctrl-c reaches the shell', expect(b'# '))
os.write(fd, b'echo still-here\r')
check('gantry survived ctrl-c', expect(b'still-here\r\n'))
os.write(fd, b'\x10\x11')
status = None
end = time.time() + 15
while time.time() < end and status is None:
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        status = os.waitstatus_to_exitcode(st)
        break
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            seen += os.read(fd, 4096)
        except OSError:
            pass
print('exit: %s' % status, flush=True)
