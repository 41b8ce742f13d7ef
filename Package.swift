// swift-tools-version: 6.1
import PackageDescription

#if canImport(Foundation)
import Foundation
let environment = ProcessInfo.processInfo.environment
#else
let environment: [String: String] = [:]
#endif

/// The hot loops (Gaussian streams, polynomial tanh, the samplers) need the host's vector
/// instructions: Swift's default x86-64 target has no AVX or FMA. On x86-64 hosts the numeric
/// modules are compiled for `haswell` (AVX2 + FMA + BMI2: Intel since 2013, AMD since 2015) unless
/// `CRITICALITY_TARGET_CPU` names another LLVM CPU (`native`, `znver3`, …) or is set to
/// `default` to keep the compiler's baseline. They are also optimised in debug builds, so that
/// `swift test` runs the statistical tests at full speed.
var numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    // sqrt without the errno slow path, so that SIMD square roots vectorise (vsqrtpd).
    .unsafeFlags(["-Xcc", "-fno-math-errno"]),
]
#if arch(x86_64)
let targetCPU = environment["CRITICALITY_TARGET_CPU"] ?? "haswell"
if targetCPU != "default" {
    numericSettings.append(.unsafeFlags(["-target-cpu", targetCPU]))
}
#endif

let package = Package(
    name: "Criticality",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CriticalityCore", targets: ["CriticalityCore"]),
        .library(name: "MeanField", targets: ["MeanField"]),
        .library(name: "Propagation", targets: ["Propagation"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "Campaign", targets: ["Campaign"]),
        .library(name: "Scaling", targets: ["Scaling"]),
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "Training", targets: ["Training"]),
        .executable(name: "criticality", targets: ["criticality"]),
    ],
    // `swift build --traits MPI` adds the MPI backend of `sweep run --mpi` (Open MPI or MPICH,
    // found through pkg-config); the default build needs no MPI.
    traits: [
        .trait(name: "MPI", description: "Distribute sweep tasks over MPI ranks (needs an MPI library)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Vector forms of the SIMD operators the standard library leaves to lane loops; written
        // against the compiler's builtins (`-parse-stdlib`), hence a module of its own.
        .target(name: "VectorBuiltins", swiftSettings: numericSettings + [.unsafeFlags(["-parse-stdlib"])]),
        .target(name: "CriticalityCore", dependencies: ["VectorBuiltins"], swiftSettings: numericSettings),
        .target(name: "MeanField", dependencies: ["CriticalityCore"], swiftSettings: numericSettings),
        .target(name: "Propagation", dependencies: ["VectorBuiltins", "CriticalityCore", "MeanField"], swiftSettings: numericSettings),
        .target(name: "Plotting"),
        .target(name: "Kernels", dependencies: ["CriticalityCore", "MeanField"], swiftSettings: numericSettings),
        .target(name: "Training", dependencies: ["VectorBuiltins", "CriticalityCore", "MeanField", "Kernels"], swiftSettings: numericSettings),
        .target(name: "Scaling", dependencies: ["CriticalityCore"], swiftSettings: numericSettings),
        .target(name: "Campaign", dependencies: ["CriticalityCore"]),
        .systemLibrary(name: "CMPI", pkgConfig: "mpi", providers: [.apt(["libopenmpi-dev"])]),
        .executableTarget(
            name: "criticality",
            dependencies: [
                "CriticalityCore", "MeanField", "Propagation", "Plotting", "Campaign", "Scaling", "Kernels", "Training",
                .target(name: "CMPI", condition: .when(traits: ["MPI"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: numericSettings
        ),
        .testTarget(name: "CriticalityCoreTests", dependencies: ["CriticalityCore", "VectorBuiltins"]),
        .testTarget(name: "MeanFieldTests", dependencies: ["MeanField", "CriticalityCore"]),
        .testTarget(name: "PropagationTests", dependencies: ["Propagation", "MeanField", "CriticalityCore"], swiftSettings: numericSettings),
        .testTarget(name: "ScalingTests", dependencies: ["Scaling", "CriticalityCore", "MeanField"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "CampaignTests", dependencies: ["Campaign"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "MeanField", "CriticalityCore"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "MeanField", "CriticalityCore", "Kernels"]),
        .testTarget(name: "CLITests", dependencies: ["criticality"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (libFuzzer), built only when CRITICALITY_FUZZ is set, by tools/fuzz.sh:
// `swift build -Xswiftc -sanitize=fuzzer` with lld as the linker. See Fuzz/README.md.
if environment["CRITICALITY_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", "CriticalityCore", "Scaling"], path: "Fuzz/CSV"),
        .executableTarget(name: "FuzzSweepSpecification", dependencies: ["FuzzDriver", "Campaign"], path: "Fuzz/SweepSpecification"),
        .executableTarget(name: "FuzzTaskFile", dependencies: ["FuzzDriver", "Campaign", "Scaling"], path: "Fuzz/TaskFile"),
        .executableTarget(name: "FuzzIDX", dependencies: ["FuzzDriver", "CriticalityCore"], path: "Fuzz/IDX"),
    ]
}
