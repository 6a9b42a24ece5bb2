# Spack recipe for schedlab (docs/clusters.md, "Installing for a course"). Use it from a
# repository of your own:
#   spack repo create ~/spack-course && mkdir -p ~/spack-course/packages/schedlab
#   cp packaging/spack/package.py ~/spack-course/packages/schedlab/ && spack repo add ~/spack-course
#   spack install schedlab ^openmpi        # then: spack load schedlab, or its generated module
# tests/install/spack_package.py imports this file with a stand-in spack module (no Spack
# needed) and checks the class, its versions, variants and dependencies.
from spack.package import *


class Schedlab(CMakePackage):
    """Parallel scheduling teaching suite: one kernel, run serially, with OpenMP and with
    MPI, verified and timed; a loop-scheduling techniques registry students extend, job
    scripts for SLURM and the lab handout."""

    # schedlab has no public address yet: point these at the course's copy of the repository
    # (or use `spack install schedlab@main` with a local mirror / `spack develop`).
    homepage = "https://example.org/schedlab"
    git = "https://example.org/schedlab.git"

    version("main", branch="main")
    version("0.1.0", tag="v0.1.0")

    variant("bench", default=True,
            description="Build schedlab-bench and schedlab-metg (lab exercise 4 uses schedlab-bench)")
    variant("build_type", default="Release",
            values=("Release", "RelWithDebInfo", "Debug"),
            description="CMake build type")
    variant("module_depends", default="none",
            description="Lmod modules the installed modulefile loads with depends_on(), "
                        "separated by ':' (e.g. gcc/12.2.0:openmpi/4.1.5); none for none")

    depends_on("cxx", type="build")
    depends_on("cmake@3.25:", type="build")
    depends_on("ninja", type="build")

    depends_on("mpi")
    depends_on("fmt")
    depends_on("cli11")
    depends_on("nlohmann-json@3.10:")
    depends_on("benchmark", when="+bench")
    depends_on("googletest", type="test")
    depends_on("gnuplot", type="run")
    depends_on("python", type=("run", "test"))

    # OpenMP comes with the compiler; Apple clang has none.
    conflicts("%apple-clang", msg="schedlab needs OpenMP (use gcc or llvm with libomp)")

    generator("ninja")

    def cmake_args(self):
        depends = self.spec.variants["module_depends"].value
        modules = "" if depends == "none" else depends.replace(":", ";")
        return [
            self.define("SCHEDLAB_BUILD_TESTS", self.run_tests),
            self.define_from_variant("SCHEDLAB_BUILD_BENCH", "bench"),
            self.define("SCHEDLAB_MODULE_DEPENDS", modules),
        ]

    # spack install --test=root: the units, the techniques and the install checks (the whole
    # suite includes timing lessons that want a quiet machine).
    def check(self):
        ctest = Executable(self.spec["cmake"].prefix.bin.ctest)
        with working_dir(self.build_directory):
            ctest("--output-on-failure", "-R", r"^(unit|techniques|install)\.")
