"""Writes hostile model files to stdout for bad_files.test.

  generate.py noise SEED   YAML punctuation and model words, shuffled
  generate.py aliases      one supports list shared by thousands of entries
"""
import random
import sys


def noise(seed):
    r = random.Random(seed)
    tokens = ['- ', ': ', '[', ']', '{', '}', ',', '\n', '  ', '"', "'",
              '&a ', '*a ', '!t ', '? ', '|', '>', '#', '---\n', 'format',
              'name', '1', 'axes', 'values', 'version', 'x']
    sys.stdout.write(''.join(r.choice(tokens) for _ in range(300)))


def aliases():
    # Each alias costs as much to walk as the list it names: the walk would
    # be quadratic in the file size without its node budget.
    versions = ', '.join('"1.%d"' % i for i in range(2000))
    print('format: 1\nname: aliases\ncomponents:\n  c:')
    print('    - version: "1"\n      supports: &s {d: [%s]}' % versions)
    for i in range(2000):
        print('    - {version: "%d", supports: *s}' % (i + 2))


if sys.argv[1] == 'noise':
    noise(int(sys.argv[2]))
else:
    aliases()
