"""The file-system calls behind node's `fs` module (runtime/lua/ljs/node_fs.lua).

File contents are read and written in Lua (io); metadata goes through Python's `os` because the
Lua side has no portable way to it: `struct stat` differs between architectures and C libraries
(and glibc before 2.33 has no `stat` symbol at all), and `struct dirent` between platforms.

Every hook returns its result, or (None, code, errno) for an OSError: code is the errno name
('ENOENT'), errno its number. Paths arrive as str and names go back as bytes, so file names
that are not UTF-8 survive the round trip.
"""
import errno as _errno
import os
import stat as _stat


def _fail(e):
    code = _errno.errorcode.get(e.errno, "EIO") if e.errno else "EIO"
    return None, code, e.errno or 5


def _kind(mode):
    """libuv's dirent type (what node's Dirent keeps): 1 file, 2 dir, 3 link, 4 fifo, 5 socket,
    6 char device, 7 block device, 0 unknown."""
    for test, kind in ((_stat.S_ISREG, 1), (_stat.S_ISDIR, 2), (_stat.S_ISLNK, 3), (_stat.S_ISFIFO, 4),
                       (_stat.S_ISSOCK, 5), (_stat.S_ISCHR, 6), (_stat.S_ISBLK, 7)):
        if test(mode):
            return kind
    return 0


class FsHooks:
    """Bound to one LuaRuntime, for the Lua tables some results are."""

    def __init__(self, lua):
        self._lua = lua

    def stat(self, path, follow):
        """dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, then seconds and
        nanoseconds of the atime, mtime, ctime and birthtime (split: a double cannot hold
        nanoseconds since 1970)."""
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except OSError as e:
            return _fail(e)
        birth = getattr(st, "st_birthtime_ns", None)
        if birth is None:
            birth = st.st_ctime_ns
        fields = [st.st_dev, st.st_mode, st.st_nlink, st.st_uid, st.st_gid, getattr(st, "st_rdev", 0),
                  getattr(st, "st_blksize", 4096), st.st_ino, st.st_size, getattr(st, "st_blocks", 0)]
        for ns in (st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns, birth):
            fields += divmod(ns, 10 ** 9)
        return self._lua.table_from([float(v) for v in fields])

    def readdir(self, path):
        """names (sorted by bytes, as libuv's scandir) and their dirent types."""
        try:
            entries = list(os.scandir(os.fsencode(path)))
        except OSError as e:
            return _fail(e)
        entries.sort(key=lambda d: d.name)
        kinds = []
        for d in entries:
            try:
                kinds.append(_kind(d.stat(follow_symlinks=False).st_mode))
            except OSError:
                kinds.append(0)
        return self._lua.table_from([d.name for d in entries]), self._lua.table_from(kinds)

    def mkdir(self, path, recursive, mode):
        """The first directory made (recursive), or True; ENOENT/EEXIST/ENOTDIR as mkdir(2)."""
        mode = int(mode)
        if not recursive:
            try:
                os.mkdir(path, mode)
            except OSError as e:
                return _fail(e)
            return True
        # walk up the path as given: node returns the first directory made in that form
        missing = []
        d = path
        while d and not os.path.exists(d):
            missing.append(d)
            parent = os.path.dirname(d.rstrip("/"))
            if parent == d:
                break
            d = parent
        if not missing:
            if os.path.isdir(path):
                return True
            return None, "EEXIST", _errno.EEXIST
        for d in reversed(missing):
            try:
                os.mkdir(d, mode)
            except FileExistsError:
                pass
            except OSError as e:
                return _fail(e)
        return missing[-1]

    def unlink(self, path):
        try:
            os.unlink(path)
        except OSError as e:
            return _fail(e)
        return True

    def rmdir(self, path):
        try:
            os.rmdir(path)
        except OSError as e:
            return _fail(e)
        return True

    def rmtree(self, path):
        """A directory and everything under it (symbolic links are removed, not followed)."""
        try:
            if os.path.islink(path) or not os.path.isdir(path):
                os.unlink(path)
            else:
                import shutil
                shutil.rmtree(path)
        except OSError as e:
            return _fail(e)
        return True

    def rename(self, src, dst):
        try:
            os.rename(src, dst)
        except OSError as e:
            return _fail(e)
        return True

    def realpath(self, path):
        try:
            os.stat(path)   # node's realpath fails for paths that do not exist
            return os.fsencode(os.path.realpath(path))
        except OSError as e:
            return _fail(e)

    def access(self, path, mode):
        try:
            os.stat(path)
        except OSError as e:
            return _fail(e)
        if not os.access(path, int(mode)):
            return None, "EACCES", _errno.EACCES
        return True

    def copyfile(self, src, dst, exclusive):
        try:
            if exclusive and os.path.lexists(dst):
                return None, "EEXIST", _errno.EEXIST
            import shutil
            shutil.copyfile(src, dst)
        except OSError as e:
            return _fail(e)
        return True


def _guarded(f):
    # an argument os rejects outright (ValueError, UnicodeError) fails as EINVAL, never as a
    # Python exception crossing into Lua
    def hook(*args):
        try:
            return f(*args)
        except (ValueError, UnicodeError):
            return None, "EINVAL", _errno.EINVAL
    return hook


def install(lua, R):
    """Set R.host_fs_* on the runtime object R."""
    hooks = FsHooks(lua)
    for name in ("stat", "readdir", "mkdir", "unlink", "rmdir", "rmtree", "rename", "realpath", "access", "copyfile"):
        R["host_fs_" + name] = _guarded(getattr(hooks, name))
