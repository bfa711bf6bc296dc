"""Write tests/sandbox/NAME.expected for the corpus files that expect `output`, from a run in the
sandbox. The sandbox's answers have no node reference: review the diff before committing it."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from test_sandbox import CORPUS, corpus, expectation, run_corpus_file  # noqa: E402

for name in corpus():
    path = os.path.join(CORPUS, name)
    if expectation(path) != "output":
        continue
    outcome, printed = run_corpus_file(path)
    if outcome != "output":
        print("%s: %s (not written)" % (name, outcome))
        continue
    with open(path[:-4] + ".expected", "w", encoding="utf-8") as f:
        f.write(printed)
    print("wrote", name[:-4] + ".expected")
