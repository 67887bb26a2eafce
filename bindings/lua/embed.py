"""Writes a Lua source file as a C byte array, NUL-terminated (build step of the Lua module).

Usage: embed.py INPUT.lua OUTPUT.h
"""
import sys


def main(src: str, dst: str) -> None:
    data = open(src, "rb").read() + b"\0"
    lines = []
    for i in range(0, len(data), 16):
        lines.append("  " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    with open(dst, "w", encoding="ascii") as out:
        out.write("/* Generated from %s by embed.py: do not edit. */\n" % src.rsplit("/", 1)[-1])
        out.write("static const unsigned char pb_lua_layer[] = {\n")
        out.write("\n".join(lines))
        out.write("\n};\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
