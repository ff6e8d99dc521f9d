import AirlockCore
import ArgumentParser
import CEL
import Foundation
import YAMLSource

/// Which policies run, with which parameters, in which setting.
struct PolicyOptions: ParsableArguments {
    @Option(help: "Configuration file: param and severity overrides, disabled rules (default: airlock.yaml when present).")
    var config: [String] = []

    @Option(name: .customLong("policies"), help: "Policy files or folders to add (repeatable).")
    var policyPaths: [String] = []

    @Flag(help: "Do not load the built-in policy pack.")
    var noBuiltin = false

    @Option(name: .customLong("param"), help: ArgumentHelp("Override a policy parameter, read as YAML (repeatable).", valueName: "policy.key=value"))
    var params: [String] = []

    @Option(help: "YAML file whose document is the `params` of ValidatingAdmissionPolicies.")
    var paramFile: [String] = []

    @Option(name: .customLong("values"), help: "Helm values files, merged in order as helm -f does (repeatable; - reads standard input); bound as `values`, and global.tier gives the tier.")
    var valuesFiles: [String] = []

    @Option(help: "Deployment tier: edge, datacenter or connected (overrides the values' global.tier).")
    var tier: [String] = []

    @Option(help: "CEL cost budget per expression evaluation, to which each object of the inputs adds \(EvaluationSettings.costPerObject).")
    var celCostLimit = EvaluationSettings().costLimit

    func validate() throws {
        guard celCostLimit > 0 else { throw ValidationError("--cel-cost-limit must be a positive number, got \(celCostLimit)") }
        // Two tiers contradict each other: keeping the last would run an edge check at connected,
        // passing what edge forbids.
        try SingleValuedOption.requireAtMostOne(tier, of: "--tier", because: "a run has one tier")
        try SingleValuedOption.requireAtMostOne(config, of: "--config", because: "a run reads one configuration file")
        try SingleValuedOption.requireAtMostOne(paramFile, of: "--param-file", because: "a run reads one params file")
    }

    /// Applies these options to `options`, reporting bad values as usage errors.
    func apply(to options: inout CheckOptions) throws {
        options.configFile = config.last
        options.policyPaths = policyPaths
        options.valuesFiles = valuesFiles
        options.includeBuiltinPolicies = !noBuiltin
        for assignment in params {
            do { try options.params.add(assignment: assignment) } catch { throw ValidationError(error.message) }
        }
        if let paramFile = paramFile.last {
            let bytes: [UInt8]
            switch InputReader.read(.namedFile(paramFile), limit: options.limits.maxInputBytes) {
            case .success(let input): bytes = input.bytes
            case .failure(let error): throw ValidationError("--param-file: \(error.description)")
            }
            let errors = options.params.setAdmissionParams(yaml: bytes, file: paramFile)
            if !errors.isEmpty { throw ValidationError(errors.map(\.description).joined(separator: "\n")) }
        }
        if let tier = tier.first {
            guard Tier(rawValue: tier) != nil else {
                throw ValidationError("--tier must be \(Tier.allNames), got \"\(tier)\"")
            }
            options.settings.tier = tier
        }
        options.settings.costLimit = celCostLimit
    }
}
