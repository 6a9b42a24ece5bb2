"""python3 spack_package.py PACKAGE_PY: imports a Spack recipe with a stand-in `spack.package`
module (no Spack installed) and checks what Spack would read from it: one CMakePackage
subclass, its versions, variants and dependencies (mpi, fmt, cli11, nlohmann-json, gnuplot),
and cmake_args() for a spec. Exit 0 ok, 1 with the reason."""
import importlib.util
import sys
import types

calls = {"version": [], "variant": [], "depends_on": [], "conflicts": [], "other": []}


def recorder(kind):
    def record(*args, **kwargs):
        calls[kind].append((args, kwargs))
    return record


class CMakePackage:
    run_tests = False

    def define(self, name, value):
        if isinstance(value, bool):
            value = "ON" if value else "OFF"
        return f"-D{name}={value}"

    def define_from_variant(self, name, variant):
        return self.define(name, self.spec.variants[variant].value)


stub = types.ModuleType("spack.package")
stub.CMakePackage = CMakePackage
for kind in ("version", "variant", "depends_on", "conflicts"):
    setattr(stub, kind, recorder(kind))
for name in ("maintainers", "license", "generator", "patch", "provides", "requires"):
    setattr(stub, name, recorder("other"))
stub.working_dir = lambda *a, **k: None
stub.Executable = lambda path: recorder("other")
stub.__all__ = [n for n in dir(stub) if not n.startswith("_")]
sys.modules["spack"] = types.ModuleType("spack")
sys.modules["spack.package"] = stub

spec = importlib.util.spec_from_file_location("schedlab_package", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)


def fail(why):
    print(f"{sys.argv[1]}: {why}")
    sys.exit(1)


classes = [c for c in vars(module).values()
           if isinstance(c, type) and issubclass(c, CMakePackage) and c is not CMakePackage]
if [c.__name__ for c in classes] != ["Schedlab"]:
    fail(f"expected one CMakePackage subclass Schedlab, found {[c.__name__ for c in classes]}")
if not classes[0].__doc__ or not getattr(classes[0], "homepage", ""):
    fail("Schedlab needs a docstring and a homepage")
versions = [a[0] for a, _ in calls["version"]]
if not versions:
    fail("no version()")
needed = {"mpi", "fmt", "cli11", "nlohmann-json", "gnuplot", "googletest"}
named = {a[0].split("@")[0] for a, _ in calls["depends_on"]}
if needed - named:
    fail(f"depends_on lacks {sorted(needed - named)}")
variants = {a[0]: k for a, k in calls["variant"]}


class Variant:
    def __init__(self, value):
        self.value = value


package = classes[0]()
package.spec = types.SimpleNamespace(
    variants={name: Variant(k.get("default")) for name, k in variants.items()})
package.spec.variants["module_depends"] = Variant("gcc/12:openmpi/4.1")
args = package.cmake_args()
for expected in ("-DSCHEDLAB_BUILD_BENCH=ON", "-DSCHEDLAB_MODULE_DEPENDS=gcc/12;openmpi/4.1",
                 "-DSCHEDLAB_BUILD_TESTS=OFF"):
    if expected not in args:
        fail(f"cmake_args() {args} lacks {expected}")
print(f"spack package: class Schedlab, versions {versions}, variants {sorted(variants)}, "
      f"depends on {sorted(named)}; cmake_args {args}")
