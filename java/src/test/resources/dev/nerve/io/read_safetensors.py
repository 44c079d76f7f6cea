"""Reads a safetensors file as any other tool would (numpy only, no Nerve code) and verifies
Nerve's checksums from their documented definition (dev.nerve.io.Checksums).

Usage: python3 read_safetensors.py FILE
Prints one line per tensor, "NAME DTYPE SHAPE SUM", then "checksums ok N" or exits non-zero."""
import json
import struct
import sys

import numpy as np


def crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c(chunks):
    c = 0xFFFFFFFF
    for chunk in chunks:
        for b in chunk:
            c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def s(text):
    b = text.encode("utf-8")
    return struct.pack("<I", len(b)) + b


DTYPES = {"F32": np.float32, "I32": np.int32, "F64": np.float64, "I64": np.int64}


def main(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0, "header length %d not a multiple of 8" % n
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in meta.values()), "metadata values must be strings"
    for name, info in header.items():
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")).reshape(info["shape"])
        print(name, info["dtype"], list(arr.shape), repr(float(arr.astype(np.float64).sum())))
        desc = s(name) + s(info["dtype"]) + struct.pack("<I", len(info["shape"]))
        desc += b"".join(struct.pack("<Q", d) for d in info["shape"]) + struct.pack("<QQ", begin, end)
        got = "%08x" % crc32c([desc, data[begin:end]])
        assert meta["crc32c:" + name] == got, "tensor %s: checksum %s, file says %s" % (name, got, meta["crc32c:" + name])
    entries = sorted(((k.encode("utf-8"), v) for k, v in meta.items() if k != "crc32c:__metadata__"))
    got = "%08x" % crc32c([s(k.decode("utf-8")) + s(v) for k, v in entries])
    assert meta["crc32c:__metadata__"] == got, "metadata checksum %s, file says %s" % (got, meta["crc32c:__metadata__"])
    print("checksums ok", len(header))


if __name__ == "__main__":
    main(sys.argv[1])
