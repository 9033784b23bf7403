#!/usr/bin/python3
"""Pack Clade's build dependencies from this Debian 12 machine for a GPU machine without apt.

The GPU machines we borrow have CUDA, CMake, a compiler and PyTorch (whose libtorch we link),
but no Qt, OpenCV, Exiv2 or SQLite development files and no package registry. This script
collects, from the installed Debian packages:

  * the development files (headers, CMake configs, Qt's host tools) of the packages below;
  * every shared library those need at run time, following DT_NEEDED (glibc, libstdc++ and
    libgcc_s are left to the target, which is newer);
  * stub libraries for GDAL, GDCM, BLAS and LAPACK. OpenCV links them for geospatial and DICOM
    files and for its linear-algebra helpers, none of which Clade calls; with their whole
    dependency trees they would be ten times larger than everything else. Each stub exports the
    symbols OpenCV imports and aborts if one is ever called.
  * a list of files that CMake export sets name but Clade never links (other OpenCV modules,
    unused Qt plugins); the unpacking script creates them empty so that configuring succeeds.

Usage: packaging/gpu/pack-deps.py OUTDIR   (writes OUTDIR/deps.tar.xz)
"""
import os
import re
import subprocess
import sys
import tarfile
import tempfile

ARCH_LIB = "/usr/lib/x86_64-linux-gnu"
DEV_PACKAGES = [
    "qt6-base-dev", "qt6-base-dev-tools", "qmake6", "libopencv-dev", "libopencv-core-dev",
    "libopencv-imgproc-dev", "libopencv-imgcodecs-dev", "libexiv2-dev", "libsqlite3-dev",
    "libgl-dev", "libglx-dev", "libopengl-dev", "libegl-dev", "zlib1g-dev",
]
RUNTIME_ROOTS = [
    "libopencv_imgcodecs.so.406", "libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Network.so.6",
    "libQt6Concurrent.so.6", "libQt6Test.so.6", "libQt6DBus.so.6", "libexiv2.so.27", "libsqlite3.so.0",
]
QT_PLUGINS = ["platforms/libqoffscreen.so", "platforms/libqminimal.so", "imageformats/libqjpeg.so"]
LEFT_TO_TARGET = re.compile(r"^(libc|libm|libdl|librt|libpthread|libresolv|libstdc\+\+|libgcc_s|ld-linux[^.]*)\.so")
# Called by OpenCV whenever imgcodecs starts (its GDAL decoder registers GDAL's drivers), so the
# stub returns instead of aborting; nothing ever asks those drivers for anything.
NOOP_STUBS = {"GDALAllRegister"}
STUBBED = {"libgdal.so.32", "libgdcmMSFF.so.3.0", "libgdcmDSED.so.3.0", "liblapack.so.3", "libblas.so.3"}
SKIP_DIRS = ("/usr/share/doc/", "/usr/share/man/", "/usr/share/lintian/", "/usr/share/bug/", "/usr/bin/")
QT_TOOL_DIRS = ("/usr/lib/qt6/libexec/", "/usr/lib/qt6/bin/")


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def needed(path):
    return re.findall(r"\(NEEDED\).*\[(.+)\]", run("readelf", "-d", path))


def find_lib(soname):
    for d in (ARCH_LIB, "/lib/x86_64-linux-gnu"):
        p = os.path.join(d, soname)
        if os.path.exists(p):
            return p
    raise SystemExit(f"pack-deps: {soname} is not installed here (run packaging/install-deps.sh)")


def runtime_closure(roots, elf_files):
    """Sonames of every library the roots and the given ELF files need, minus target/stubbed ones."""
    seen, stack = set(), list(roots)
    for f in elf_files:
        stack += needed(f)
    while stack:
        name = stack.pop()
        if name in seen or name in STUBBED or LEFT_TO_TARGET.match(name):
            continue
        seen.add(name)
        stack += needed(find_lib(name))
    return sorted(seen)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def dev_files():
    files = []
    for pkg in DEV_PACKAGES:
        for line in run("dpkg", "-L", pkg).splitlines():
            if line.startswith(SKIP_DIRS) or line.endswith(".a") or not os.path.lexists(line) \
                    or os.path.isdir(line) and not os.path.islink(line):
                continue
            files.append(line)
    return files


def imported_locations(files):
    """Files that the packed CMake export sets refer to (IMPORTED_LOCATION and friends)."""
    refs = set()
    for f in files:
        if f.endswith(".cmake") and os.path.isfile(f):
            text = open(f, encoding="utf-8", errors="replace").read()
            for m in re.finditer(r'IMPORTED_LOCATION\w* "\$\{_IMPORT_PREFIX\}(/[^";$]+)"', text):
                refs.add("/usr" + m.group(1))
    return refs


def build_stubs(tmp):
    """One .so per stubbed soname, exporting the functions OpenCV imports from it."""
    users = [find_lib(n) for n in ("libopencv_imgcodecs.so.406", "libopencv_core.so.406")]
    wanted = set()
    for u in users:
        wanted |= set(run("nm", "-D", "--undefined-only", u).split()[1::2])
    out = []
    for soname in sorted(STUBBED):
        real = find_lib(soname)
        defined = set()
        for line in run("nm", "-D", "--defined-only", real).splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TW":
                defined.add(parts[2].split("@")[0])
        symbols = sorted(s for s in (w.split("@")[0] for w in wanted) if s in defined)
        src = os.path.join(tmp, soname + ".c")
        with open(src, "w") as f:
            f.write("/* Stub: Clade never calls this library; see packaging/gpu/pack-deps.py. */\n")
            f.write("#include <stdio.h>\n#include <stdlib.h>\n")
            f.write(f'static void stub_called(const char *s) {{ fprintf(stderr, "{soname} stub: %s called\\n", s); abort(); }}\n')
            for s in symbols:
                body = "" if s in NOOP_STUBS else f'stub_called("{s}");'
                f.write(f'void {s}(void) {{ {body} }}\n')
        lib = os.path.join(tmp, soname)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", f"-Wl,-soname,{soname}", "-o", lib, src], check=True)
        out.append((lib, os.path.join(ARCH_LIB, soname)))
        print(f"pack-deps: stub {soname}: {len(symbols)} symbols")
    return out


def usr_path(path):
    """The /usr spelling of a path (Debian 12 has /lib -> usr/lib)."""
    return "/usr" + path if path.startswith(("/lib/", "/bin/")) else path


def add_with_links(entries, path):
    """Adds path and, when it is a symlink, every link and the file it leads to (relative links)."""
    path = usr_path(path)
    for _ in range(8):
        entries[path] = path
        if not os.path.islink(path):
            return
        link = os.readlink(path)
        if link.startswith("/"):   # absolute link (alternatives): pack the content instead
            entries[path] = os.path.realpath(path)
            return
        path = os.path.normpath(os.path.join(os.path.dirname(path), link))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    devs = dev_files()
    plugin_dir = os.path.join(ARCH_LIB, "qt6/plugins")
    plugins = [os.path.join(plugin_dir, p) for p in QT_PLUGINS]
    tools = [f for f in devs if f.startswith(QT_TOOL_DIRS) and is_elf(f) and not os.path.islink(f)]
    libs = [find_lib(n) for n in runtime_closure(RUNTIME_ROOTS, plugins + tools)]
    entries = {}   # absolute path on the target (under the prefix) -> source on this machine
    for f in devs + plugins + libs:
        add_with_links(entries, f)
    with tempfile.TemporaryDirectory() as tmp:
        for src, dest in build_stubs(tmp):
            entries[dest] = src
        placeholders = sorted(r for r in imported_locations(devs) if r not in entries)
        listing = os.path.join(tmp, "placeholders.txt")
        with open(listing, "w") as f:
            f.write("\n".join(placeholders) + "\n")
        entries["/placeholders.txt"] = listing
        target = os.path.join(outdir, "deps.tar.xz")
        with tarfile.open(target + ".part", "w:xz", preset=6) as tar:
            for dest in sorted(entries):
                tar.add(entries[dest], arcname=dest.lstrip("/"), recursive=False)
        os.replace(target + ".part", target)
    print(f"pack-deps: {len(entries)} files, {len(libs)} runtime libraries, "
          f"{len(placeholders)} placeholders -> {target} ({os.path.getsize(target) // 1024} KiB)")


if __name__ == "__main__":
    main()
