import AirlockCore
import ArgumentParser

/// `airlock policy`: list, explain and test policies.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "List, explain and test policies.",
        subcommands: [List.self, Explain.self])

    /// Loads policies as `check` would, failing with every load error.
    static func load(_ options: PolicyOptions) throws -> [CompiledPolicy] {
        var check = CheckOptions()
        try options.apply(to: &check)
        let compiled = CheckRunner.compilePolicies(check, inventory: AirlockCore.Inventory())
        for error in compiled.errors { printError("error: " + error.description) }
        if !compiled.errors.isEmpty { throw ExitCode(2) }
        return compiled.policies
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the loaded rules: id, category, severity, title.")

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let rules = try PolicyCommand.load(policy).map(\.descriptor)
            let idWidth = max(2, rules.map(\.id.count).max() ?? 0)
            let categoryWidth = max(8, rules.map(\.category.rawValue.count).max() ?? 0)
            func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
            print("\(pad("ID", idWidth))  \(pad("CATEGORY", categoryWidth))  SEVERITY  TITLE")
            for rule in rules {
                print("\(pad(rule.id, idWidth))  \(pad(rule.category.rawValue, categoryWidth))  \(pad(rule.severity.rawValue, 8))  \(rule.title)")
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one rule in full.")

        @Argument(help: "The rule id.")
        var id: String

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            guard let compiled = try PolicyCommand.load(policy).first(where: { $0.descriptor.id == id }) else {
                printError("error: no rule with id \"\(id)\" (see airlock policy list)")
                throw ExitCode(2)
            }
            let rule = compiled.descriptor
            print("""
                \(rule.id): \(rule.title)
                category: \(rule.category.rawValue)
                severity: \(rule.severity.rawValue)
                controls: \(rule.controls.isEmpty ? "-" : rule.controls.joined(separator: ", "))
                target: \(compiled.policy.target.rawValue)
                defined at: \(compiled.policy.location.file):\(compiled.policy.location.line)

                \(rule.description)

                Remediation: \(rule.remediation.isEmpty ? "-" : rule.remediation)
                """)
            for validation in compiled.policy.validations {
                print("\nvalidation: \(validation.expression.source)")
                if let forEach = validation.forEach { print("  for each \(validation.forEachName) in: \(forEach.source)") }
            }
        }
    }
}
