import Campaign
import FuzzDriver

// The TOML specification loader, against a schema with every kind of parameter (the tool's own
// models are described in its executable; their kinds are these).
let schema = SweepSchema(models: [
    "mlp": ["activation": .word, "sigma_w": .numberOr(["critical"]), "sigma_b": .number, "width": .integer,
            "depth": .integer, "samples": .integer, "seed": .integer, "method": .word, "q0": .number, "c0": .number],
    "cnn": ["sigma_w": .numberOr(["critical"]), "size": .integer, "channels": .integer, "depth": .integer,
            "samples": .integer, "untied": .boolean, "protocol": .word, "epsilon": .number],
], required: ["depth", "samples"])

runFuzzer { data, size in
    if let spec = try? SweepSpecification(text: fuzzText(data, size), schema: schema) {
        for task in spec.tasks.prefix(1000) { _ = task.id }
    }
    return 0
}
