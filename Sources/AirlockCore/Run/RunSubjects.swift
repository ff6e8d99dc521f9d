/// What one run has to evaluate, so that a rule of the built-in pack with nothing to run on is
/// not compiled: a check of a few Deployments need not compile the bundle, package, values and
/// agent rules. Compiling a built-in rule reports nothing that depends on the run but its params
/// (the pack's expressions are checked by its tests), so a rule the run gives params to is
/// compiled whatever it runs on, as is every rule of the user's own policy files.
public struct RunSubjects: Sendable {
    /// One object of each apiVersion and kind among the inputs: rules match kinds by these alone.
    private let kindRepresentatives: [Resource]
    private let hasObjects: Bool
    private let tier: String?
    private let hasValues: Bool
    private let hasPackages: Bool
    private let hasBundles: Bool

    public init(inventory: Inventory, settings: EvaluationSettings, hasPackages: Bool, hasBundles: Bool) {
        kindRepresentatives = inventory.typeRepresentatives
        hasObjects = !inventory.resources.isEmpty
        tier = settings.tier
        if case .null = settings.values { hasValues = false } else { hasValues = true }
        self.hasPackages = hasPackages
        self.hasBundles = hasBundles
    }

    /// Whether the run may evaluate `policy` on something: the engine evaluates it on nothing else.
    /// This restates where `PolicyEngine.evaluate` and the artifact evaluation run a rule
    /// (matching kinds and tiers, values, packages, bundles and their tier values files): a change
    /// there must come here too. `RunSubjectsTests` compares what a run finds with what it finds
    /// compiling every rule.
    func mayEvaluate(_ policy: Policy) -> Bool {
        switch policy.target {
        case .resource:
            let tiers = policy.match.tiers
            if !tiers.isEmpty, !(tier.map(tiers.contains) ?? false) { return false }
            return kindRepresentatives.contains(where: policy.match.matchesKind)
        default:
            return hasInputs(for: policy.target)
        }
    }

    /// Whether the run read inputs of the kind a rule of `target` evaluates: manifests for a
    /// resource or inventory rule, values, packages, bundles.
    func hasInputs(for target: Policy.Target) -> Bool {
        switch target {
        case .resource, .inventory: return hasObjects
        // A bundle's tier values files are evaluated as values too.
        case .values: return hasValues || hasBundles
        case .package: return hasPackages
        case .bundle: return hasBundles
        }
    }
}
