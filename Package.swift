// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Criticality",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CriticalityCore", targets: ["CriticalityCore"]),
        .library(name: "MeanField", targets: ["MeanField"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .executable(name: "criticality", targets: ["criticality"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "CriticalityCore"),
        .target(name: "MeanField", dependencies: ["CriticalityCore"]),
        .target(name: "Plotting"),
        .executableTarget(
            name: "criticality",
            dependencies: [
                "CriticalityCore", "MeanField", "Plotting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CriticalityCoreTests", dependencies: ["CriticalityCore"]),
        .testTarget(name: "MeanFieldTests", dependencies: ["MeanField", "CriticalityCore"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "CLITests", dependencies: ["criticality"]),
    ],
    swiftLanguageModes: [.v6]
)
