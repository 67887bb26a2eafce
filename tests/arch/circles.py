#!/usr/bin/python3
"""Fail when files of the library call each other in a circle.

Reads `nm` of every object file under the given build directories: a file depends on another
when it uses (U) a global symbol the other defines. Files that reach each other through such
dependencies form a circle (a strongly connected component of more than one file); a circle
means neither file can be read, tested or changed without the other. Circles listed in
ALLOWED are reported but do not fail (there are none).

usage: circles.py OBJDIR... [--nm NM] [--layers]
With --layers, also prints each file's layer: 0 for a file that uses no other, else one more
than the highest layer of the files it uses (docs/design.md draws them).
"""
import os
import subprocess
import sys

# Circles that may stay, each a sorted list of file names. None: keep it that way.
ALLOWED = []


def objects(dirs):
    for d in dirs:
        for root, _, files in os.walk(d):
            # (the build tool postrun-embed compiles a few library files a second time)
            if not root.endswith('.p') or root.endswith('postrun-embed.p'):
                continue
            for f in sorted(files):
                if f.endswith('.c.o') and 'embedded' not in f:
                    yield os.path.join(root, f)


def symbols(nm, path):
    out = subprocess.run([nm, '--defined-only', '-g', path], check=True,
                         capture_output=True, text=True).stdout
    defined = {line.split()[-1] for line in out.splitlines() if len(line.split()) == 3}
    out = subprocess.run([nm, '-u', path], check=True, capture_output=True, text=True).stdout
    used = {line.split()[-1] for line in out.splitlines() if line.split()}
    return defined, used


def circles(graph):
    """Tarjan's strongly connected components, without recursion."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return sorted(out)


def main(argv):
    nm = 'nm'
    dirs = []
    layers = False
    it = iter(argv)
    for a in it:
        if a == '--nm':
            nm = next(it)
        elif a == '--layers':
            layers = True
        else:
            dirs.append(a)
    files = {}
    for path in objects(dirs):
        name = os.path.basename(path)[:-2]  # kb_load.c.o -> kb_load.c
        if name in files:
            name = os.path.basename(os.path.dirname(path)) + '/' + name
        files[name] = symbols(nm, path)
    if not files:
        print('circles.py: no object files under ' + ' '.join(dirs))
        return 2
    owner = {}
    for name, (defined, _) in files.items():
        for s in defined:
            owner.setdefault(s, name)
    graph = {name: set() for name in files}
    for name, (_, used) in files.items():
        for s in used:
            if s in owner and owner[s] != name:
                graph[name].add(owner[s])
    found = circles(graph)
    if layers and not found:
        level = {}

        def layer(f):
            if f not in level:
                level[f] = 1 + max((layer(g) for g in graph[f]), default=-1)
            return level[f]
        for f in sorted(files, key=lambda f: (layer(f), f)):
            print(f'layer {layer(f)}: {f} -> {", ".join(sorted(graph[f])) or "-"}')
    bad = 0
    for comp in found:
        allowed = comp in [sorted(a) for a in ALLOWED]
        why = []
        for a in comp:
            for b in sorted(graph[a] & set(comp)):
                syms = sorted(s for s in files[a][1] if owner.get(s) == b)
                why.append(f'    {a} -> {b}: {", ".join(syms[:6])}{" ..." if len(syms) > 6 else ""}')
        print(('allowed' if allowed else 'CIRCLE') + ': {' + ', '.join(comp) + '}')
        print('\n'.join(why))
        bad += not allowed
    print(f'{len(files)} files, {len(found)} circles, {bad} not allowed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
