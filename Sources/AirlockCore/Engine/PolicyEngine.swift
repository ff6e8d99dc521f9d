import CEL
import Dispatch
import Foundation

/// Evaluates compiled policies: resource policies on every matching object of the inventory, in
/// parallel over all cores; values policies once on the merged values. Results come out in a
/// stable order whatever the scheduling.
public struct PolicyEngine: Sendable {
    public let policies: [CompiledPolicy]
    public let settings: EvaluationSettings

    /// Variables several policies compute from the object alone (the same expression, such as
    /// `containers(object)`), evaluated once per object and shared by those policies.
    private let sharedVariables: SharedVariables

    public init(policies: [CompiledPolicy], settings: EvaluationSettings) {
        self.policies = policies
        self.settings = settings
        sharedVariables = SharedVariables(policies)
    }

    /// What evaluation produced.
    public struct Outcome: Sendable {
        public var findings: [Finding] = []
        public var diagnostics: [Diagnostic] = []
        public var ruleRuns: [CheckResult.RuleRun] = []

        public init() {}
    }

    public func evaluate(_ inventory: Inventory) -> Outcome {
        let candidates = CandidatePolicies(policies)
        let resources = inventory.resources
        // Many more chunks than cores, so that the cores finish close together: objects differ in
        // cost by orders of magnitude (a Namespace against a Deployment of many containers).
        let chunkSize = max(64, resources.count / (ProcessInfo.processInfo.activeProcessorCount * 32) + 1)
        let chunkCount = (resources.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<ChunkOutcome>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var outcome = ChunkOutcome(policyCount: policies.count)
            let range = (chunk * chunkSize)..<min(resources.count, (chunk + 1) * chunkSize)
            for index in range {
                let resource = resources[index]
                let namespaceObject = inventory.namespaceObject(of: resource)
                let shared = sharedVariables.values()
                // The CEL views of the object and its Namespace, made once for all its policies.
                var views: Subject.Views?
                for policyIndex in candidates.policies(forKind: resource.kind) {
                    let policy = policies[policyIndex]
                    guard policy.policy.match.matches(resource, namespaceObject: namespaceObject, tier: settings.tier) else { continue }
                    let objectViews = views ?? Subject.Views(resource, namespaceObject: namespaceObject)
                    views = objectViews
                    let subject = Subject.resource(resource, objectViews, shared: shared)
                    let evaluated = evaluate(policy, index: policyIndex, subject: subject, into: &outcome)
                    if evaluated { outcome.evaluated[policyIndex].append(UInt32(index)) }
                }
            }
            slots[chunk] = outcome
        }
        // Merged into arrays of their final size, each chunk dropped once merged: at the end of
        // evaluation, with every object's nodes still held, this is the run's peak of memory.
        var findingCount = 0
        var evaluatedCounts = Array(repeating: 0, count: policies.count)
        for chunk in 0..<chunkCount {
            guard let outcome = slots[chunk] else { continue }
            findingCount += outcome.findings.count
            for index in evaluatedCounts.indices { evaluatedCounts[index] += outcome.evaluated[index].count }
        }
        var result = Outcome()
        result.findings.reserveCapacity(findingCount)
        var evaluated = evaluatedCounts.map { count in
            var positions: [UInt32] = []
            positions.reserveCapacity(count)
            return positions
        }
        for chunk in 0..<chunkCount {
            guard let outcome = slots[chunk] else { continue }
            slots[chunk] = nil
            result.findings.append(contentsOf: outcome.findings)
            result.diagnostics.append(contentsOf: outcome.diagnostics)
            for index in evaluated.indices { evaluated[index].append(contentsOf: outcome.evaluated[index]) }
        }
        var evaluatedValues = Set<Int>()
        for (index, policy) in policies.enumerated() where policy.policy.target == .values {
            if case .null = settings.values { continue }
            var outcome = ChunkOutcome(policyCount: 0)
            if evaluate(policy, index: index, subject: .values, into: &outcome) { evaluatedValues.insert(index) }
            result.findings.append(contentsOf: outcome.findings)
            result.diagnostics.append(contentsOf: outcome.diagnostics)
        }
        let names = EvaluatedObjects.NameTable(
            resources.lazy.map(\.ref.qualifiedName), byteCount: resources.reduce(0) { $0 + $1.ref.qualifiedNameByteCount })
        result.ruleRuns = policies.enumerated().map { index, policy in
            CheckResult.RuleRun(
                rule: policy.descriptor,
                evaluated: evaluatedValues.contains(index) ? ["values"] : EvaluatedObjects(sorting: evaluated[index], of: names),
                notRun: reasonNotRun(policy))
        }
        return result
    }

    /// Why `policy` cannot run at all in this run: a resource policy limited to some tiers
    /// matches nothing when the run has no tier.
    private func reasonNotRun(_ policy: CompiledPolicy) -> String? {
        let tiers = policy.policy.match.tiers
        guard policy.policy.target == .resource, !tiers.isEmpty, settings.tier == nil else { return nil }
        let scope = tiers.count == 1 ? "tier \(tiers[0])" : "tiers \(tiers.joined(separator: ", "))"
        return "it applies only at \(scope), and no deployment tier was given (--tier, or global.tier in the --values files)"
    }

    /// Resource policies by the kinds they can match, so that each object is only offered to
    /// the policies that may apply to it (instead of every policy's match on every object).
    private struct CandidatePolicies {
        private var byKind: [String: [Int]] = [:]
        private var anyKind: [Int] = []

        init(_ policies: [CompiledPolicy]) {
            for (index, policy) in policies.enumerated() where policy.policy.target == .resource {
                let kinds = policy.policy.match.kinds
                if kinds.isEmpty || kinds.contains(where: { $0.kind == "*" }) {
                    anyKind.append(index)
                } else {
                    for kind in Set(kinds.map(\.kind)) { byKind[kind, default: []].append(index) }
                }
            }
            for kind in byKind.keys { byKind[kind] = (byKind[kind, default: []] + anyKind).sorted() }
        }

        func policies(forKind kind: String) -> [Int] { byKind[kind] ?? anyKind }
    }

    /// Per-worker results.
    struct ChunkOutcome: Sendable {
        var findings: [Finding] = []
        var diagnostics: [Diagnostic] = []
        /// Per policy, the positions in the inventory of the objects it evaluated.
        var evaluated: [[UInt32]]

        init(policyCount: Int) {
            evaluated = Array(repeating: [], count: policyCount)
        }

        /// Adds an evaluation error unless the same one was added since `start`, the first
        /// diagnostic of this policy on this subject (validations over one failing variable fail
        /// alike).
        mutating func report(_ diagnostic: Diagnostic, since start: Int) {
            if !diagnostics[start...].contains(diagnostic) { diagnostics.append(diagnostic) }
        }
    }

    /// The thing a policy is evaluated on.
    enum Subject {
        /// An object of the inventory, with its CEL views and the values of its shared variables.
        case resource(Resource, Views, shared: SharedVariables.Values)
        case values
        /// A package or bundle: its bindings (`object` among them).
        case artifact([String: CELValue])

        /// An object and its Namespace as CEL values (`object`, `namespaceObject`).
        struct Views {
            let object: CELValue
            let namespaceObject: CELValue

            init(_ resource: Resource, namespaceObject: Resource?) {
                object = CELValue(yaml: resource.node)
                self.namespaceObject = namespaceObject.map { CELValue(yaml: $0.node) } ?? .null
            }
        }
    }

    /// Evaluates one policy (the `index`th) on one subject; false when its match conditions exclude
    /// the subject.
    func evaluate(_ policy: CompiledPolicy, index: Int, subject: Subject, into outcome: inout ChunkOutcome) -> Bool {
        var bindings = PolicyActivation.Bindings(params: policy.params, tier: settings.tier.map(CELValue.string) ?? .null, values: settings.values)
        var resource: Resource?
        var shared: SharedVariables.Access?
        switch subject {
        case .resource(let object, let views, let values):
            resource = object
            shared = SharedVariables.Access(slots: sharedVariables.slots[index], values: values)
            bindings.object = views.object
            bindings.namespaceObject = views.namespaceObject
            if policy.policy.isAdmissionPolicy { bindings.request = AdmissionRequest.create(for: object) }
        case .values:
            bindings.object = settings.values
        case .artifact(let artifact):
            bindings.object = artifact["object"] ?? .null
            bindings.others = artifact
        }
        let activation = PolicyActivation(bindings: bindings, policy: policy, shared: shared, costLimit: settings.costLimit)
        let reporter = FindingBuilder(policy: policy, resource: resource, subject: bindings.object)
        let firstDiagnostic = outcome.diagnostics.count

        for (name, condition) in policy.conditions {
            switch condition.evaluate(activation, costLimit: settings.costLimit) {
            case .bool(true): continue
            case .bool(false): return false
            case .error(let error):
                outcome.report(reporter.error("matchCondition \(name): \(error.message)", lookedUpIn: error.map), since: firstDiagnostic)
                return true
            default:
                outcome.report(reporter.error("matchCondition \(name) must evaluate to a bool"), since: firstDiagnostic)
                return true
            }
        }
        for validation in policy.validations {
            guard let forEach = validation.forEach, let elementPosition = validation.elementPosition else {
                check(validation, element: nil, activation: activation, reporter: reporter, into: &outcome, since: firstDiagnostic)
                continue
            }
            switch forEach.evaluate(activation, costLimit: settings.costLimit) {
            case .list(let elements):
                for index in 0..<elements.count {
                    activation.bind(validation.validation.forEachName, declaredAt: elementPosition, to: elements[index])
                    check(validation, element: elements[index], activation: activation, reporter: reporter, into: &outcome, since: firstDiagnostic)
                }
            case .error(let error):
                outcome.report(reporter.error("forEach: \(error.message)", lookedUpIn: error.map), since: firstDiagnostic)
            default:
                outcome.report(reporter.error("forEach must evaluate to a list"), since: firstDiagnostic)
            }
        }
        return true
    }

    private func check(
        _ validation: CompiledValidation, element: CELValue?, activation: PolicyActivation, reporter: FindingBuilder,
        into outcome: inout ChunkOutcome, since firstDiagnostic: Int
    ) {
        switch validation.program.evaluate(activation, costLimit: settings.costLimit) {
        case .bool(true): return
        case .bool(false):
            // As in Kubernetes, a messageExpression that fails falls back to the static message.
            var message = validation.validation.message ?? reporter.policy.descriptor.title
            if let program = validation.message, case .string(let text) = program.evaluate(activation, costLimit: settings.costLimit) {
                message = text
            }
            outcome.findings.append(reporter.finding(message, validation: validation.validation, element: element))
        case .error(let error):
            outcome.report(reporter.error(error.message, element: element, lookedUpIn: error.map), since: firstDiagnostic)
        default:
            outcome.report(reporter.error("validation must evaluate to a bool", element: element), since: firstDiagnostic)
        }
    }
}
