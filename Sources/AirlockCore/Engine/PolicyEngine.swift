import CEL
import Dispatch
import Foundation

/// Evaluates compiled policies: resource policies on every matching object of the inventory, in
/// parallel over all cores; values policies once on the merged values, and inventory policies
/// once on the whole inventory. Results come out in a stable order whatever the scheduling.
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
        let resources = inventory.resources
        let ofKinds = CandidatePolicies(policies, inventory: inventory)
        let notRun = policies.indices.map { reasonNotRun(policies[$0], hasObjectsOfItsKinds: ofKinds.matchedPolicies.contains($0)) }
        let (runConstants, unusable) = computeRunConstants(inventory, notRun: notRun)
        let candidates = ofKinds.keeping { notRun[$0] == nil && unusable[$0] == nil }
        let bindingParams = policies.map { BindingParams($0.policy, inventory: inventory) }
        // Most policies match by kind alone: they are not asked again for each object.
        let matchesByKind = policies.map { $0.policy.matchesEveryObjectOfItsKinds(tier: settings.tier) }
        let chunks = Self.chunks(of: resources.count, cores: ProcessInfo.processInfo.activeProcessorCount)
        let chunkCount = chunks.count
        // The table of the objects' names, by which each rule run lists the objects it evaluated,
        // depends on the inventory alone: it is made while the rules run.
        let makingNames = BackgroundTask {
            EvaluatedObjects.NameTable(resources.lazy.map(\.ref.qualifiedName), byteCount: resources.reduce(0) { $0 + $1.ref.qualifiedNameByteCount })
        }
        let slots = ResultSlots<ChunkOutcome>(count: chunkCount)
        let keyed = KeyedVariables()
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var outcome = ChunkOutcome(policyCount: policies.count)
            var namespaces = NamespaceObjects(inventory)
            let activation = PolicyActivation(costLimit: settings.costLimit, runConstants: runConstants, keyed: keyed)
            for index in chunks[chunk] {
                let resource = resources[index]
                let (namespaceObject, namespaceView) = namespaces.object(of: resource)
                // What the object's policies share, made when the first of them applies.
                var object: EvaluatedObject?
                for policyIndex in candidates.policies(forObjectAt: index, of: inventory) {
                    let policy = policies[policyIndex]
                    guard matchesByKind[policyIndex] || policy.policy.matchesBeyondKind(resource, namespaceObject: namespaceObject, tier: settings.tier, plural: { inventory.plural(of: resource) })
                    else { continue }
                    let evaluatedObject = object ?? EvaluatedObject(
                        resource, namespaceObject: namespaceView, shared: sharedVariables.values(),
                        declaredPlural: inventory.declaredPlural(of: resource))
                    object = evaluatedObject
                    let evaluated = evaluate(
                        policy, index: policyIndex, on: evaluatedObject, paramsFrom: bindingParams[policyIndex], activation: activation, into: &outcome)
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
        result.diagnostics = unusable.keys.sorted().compactMap { unusable[$0]?.diagnostic }
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
        // The policies evaluated once: on the values, and on the inventory as a whole.
        var evaluatedOnce: [Int: Subject] = [:]
        var hasValues = true
        if case .null = settings.values { hasValues = false }
        let activation = PolicyActivation(costLimit: settings.costLimit, runConstants: runConstants)
        for (index, policy) in policies.enumerated() where unusable[index] == nil {
            let subject: Subject
            switch policy.policy.target {
            case .values where hasValues: subject = .values
            case .inventory where !resources.isEmpty: subject = .inventory
            default: continue
            }
            var outcome = ChunkOutcome(policyCount: 0)
            if evaluate(policy, index: index, subject: subject, activation: activation, into: &outcome) { evaluatedOnce[index] = subject }
            result.findings.append(contentsOf: outcome.findings)
            result.diagnostics.append(contentsOf: outcome.diagnostics)
        }
        let names = makingNames.value
        result.ruleRuns = policies.enumerated().map { index, policy in
            CheckResult.RuleRun(
                rule: policy.descriptor,
                evaluated: evaluatedOnce[index].map { [$0.name] } ?? EvaluatedObjects(sorting: evaluated[index], of: names),
                notRun: notRun[index] ?? unusable[index]?.reason)
        }
        return result
    }

    /// The ranges of objects the workers take in turn: each range holds a sixteenth per core of
    /// the objects left (at least 64), so that the first ranges are large and the last small, and
    /// the cores finish close together although objects differ in cost by orders of magnitude (a
    /// Namespace against a Deployment of many containers).
    static func chunks(of count: Int, cores: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = min(count, start + max(64, (count - start) / (max(1, cores) * 16)))
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// Variables that read only params, values and tier (``CompiledPolicy/isRunConstant``; not
    /// params a binding's paramRef selects for each object) are the same for every subject: they
    /// are computed here once, before any subject, for each policy that has something to run on,
    /// and every worker starts with their values (by policy position). An error in one that reads
    /// only params (a param of the wrong form, such as a CIDR `10.0.0.0/33`) would otherwise
    /// surface only when some object reaches the expression that reads it, and a run where none
    /// does would pass: such a policy does not run, and the error is reported once, at its
    /// variable, or at the run's override of a param it reads (the `--param` flag or the config
    /// file's value) when it computes with that param's default. Other errors are kept as
    /// values, read (and reported) where an expression reads them, as are all of a
    /// ValidatingAdmissionPolicy's, whose variables Kubernetes evaluates only when read (its
    /// params may be absent).
    private func computeRunConstants(_ inventory: Inventory, notRun: [String?]) -> (values: [[CELValue?]], failures: [Int: (diagnostic: Diagnostic, reason: String)]) {
        let hasObjects = !inventory.resources.isEmpty
        let activation = PolicyActivation(costLimit: settings.costLimit)
        var values: [[CELValue?]] = Array(repeating: [], count: policies.count)
        var failures: [Int: (diagnostic: Diagnostic, reason: String)] = [:]
        for (index, policy) in policies.enumerated() where policy.isRunConstant.contains(true) && notRun[index] == nil {
            switch policy.policy.target {
            case .resource, .inventory: guard hasObjects else { continue }
            case .values: if case .null = settings.values { continue }
            case .package, .bundle: continue
            }
            let tier = settings.tier.map(CELValue.string) ?? .null
            activation.start(policy, index: index, bindings: .init(params: policy.params, tier: tier, values: settings.values), shared: nil)
            values[index] = activation.computeRunConstants()
            guard !policy.policy.isAdmissionPolicy,
                  let variable = values[index].indices.first(where: { position in
                      guard policy.isParamConstant[position], case .error? = values[index][position] else { return false }
                      return true
                  }),
                  case .error(let error)? = values[index][variable] else { continue }
            let name = "variables." + policy.variables[variable].name
            var diagnostic: Diagnostic
            let read = policy.paramsRead(byVariable: variable)
            // The override it reads without which it computes: the defaults may fail as well. (The
            // params are constants of the compiled expressions, so it is compiled again.)
            let blamed = policy.overrides.keys.sorted().first { key in
                guard read?.contains(key) ?? true,
                      let params = ParamOverrides.params(of: policy.policy, overriddenBy: policy.overrides, but: key),
                      case .success(let reverted) = PolicyCompiler(inventory: inventory).compile(policy.policy, params: params) else { return false }
                // A new activation: one keeps the run constants it computed for a policy.
                let retry = PolicyActivation(costLimit: settings.costLimit)
                retry.start(reverted, index: index, bindings: .init(params: reverted.params, tier: tier, values: settings.values), shared: nil)
                if case .error? = retry.computeRunConstants()[variable] { return false }
                return true
            }
            if let key = blamed, let override = policy.overrides[key] {
                diagnostic = ParamOverrides.diagnostic(ofExpressionReading: override, key: key, in: policy.policy, error.message)
            } else {
                let expression = policy.policy.variables[variable].expression
                let place = CELSource(expression.source).location(of: error.offset ?? 0)
                diagnostic = Diagnostic(
                    kind: .policy, message: "\(policy.descriptor.id): \(error.message) (computed once from the params)",
                    location: expression.filePosition(line: place.line, column: place.column))
            }
            diagnostic.ruleID = policy.descriptor.id
            failures[index] = (diagnostic, "its \(name) cannot be computed from its params")
        }
        return (values, failures)
    }

    /// Why `policy` cannot run at all in this run: it reads the values and they could not be
    /// read, it is an admission policy for operations other than CREATE, or it is a resource
    /// policy limited to some tiers and the run has no tier, or one that is not a tier, while the
    /// inputs hold objects of its kinds (a package's run has no Namespace the tier could matter for).
    private func reasonNotRun(_ policy: CompiledPolicy, hasObjectsOfItsKinds: Bool) -> String? {
        if policy.readsValues, let unread = settings.unreadValues { return "it reads the Helm values, and \(unread)" }
        let rules = policy.policy.match.resourceRules
        if !rules.isEmpty, !rules.contains(where: \.admitsCreate) {
            let operations = Set(rules.flatMap(\.operations)).sorted().joined(separator: ", ")
            return "its resourceRules apply only to \(operations), and airlock checks each object as the API server would on its creation"
        }
        let tiers = policy.policy.match.tiers
        guard policy.policy.target == .resource, !tiers.isEmpty, hasObjectsOfItsKinds else { return nil }
        let scope = tiers.count == 1 ? "tier \(tiers[0])" : "tiers \(tiers.joined(separator: ", "))"
        guard let tier = settings.tier else {
            return "it applies only at \(scope), and no deployment tier was given (--tier, or global.tier in the --values files)"
        }
        // A tier no rule knows (`Edge`, a typo in global.tier) would match no tier-limited rule.
        guard Tier(rawValue: tier) == nil else { return nil }
        return "it applies only at \(scope), and the deployment tier \"\(tier)\" is not one (\(Tier.allNames))"
    }

    /// The resource policies whose kinds match each `apiVersion` and kind of the inventory, in the
    /// engine's order: a policy's `kinds`, `customResources` and `excludeKinds` are matched once
    /// per type (see ``TypeIndex``), not against every object.
    private struct CandidatePolicies {
        /// By type number.
        private var byType: [[Int]]
        /// The policies some object is a candidate for.
        private(set) var matchedPolicies: Set<Int> = []

        /// The resource policies of `policies` for the objects of `inventory`.
        init(_ policies: [CompiledPolicy], inventory: Inventory) {
            let resourcePolicies = policies.indices.filter { policies[$0].policy.target == .resource }
            byType = inventory.typeRepresentatives.map { representative in
                resourcePolicies.filter { policies[$0].policy.match.matchesKind(representative) }
            }
            for matching in byType { matchedPolicies.formUnion(matching) }
        }

        /// These candidates without the policies `isKept` leaves out (those that do not run).
        func keeping(_ isKept: (Int) -> Bool) -> CandidatePolicies {
            var kept = self
            kept.byType = byType.map { $0.filter(isKept) }
            kept.matchedPolicies = matchedPolicies.filter(isKept)
            return kept
        }

        /// The candidates for the object at `position` of `inventory`.
        func policies(forObjectAt position: Int, of inventory: Inventory) -> [Int] {
            byType[inventory.type(ofObjectAt: position)]
        }
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

        /// What the current policy has added on the current subject, to drop a repeat in constant
        /// time (a `forEach` over 20,000 elements failing alike was quadratic).
        private var reported: Set<Diagnostic> = []
        private var recorded: Set<Finding> = []

        /// Starts a policy's evaluation on a subject: what it adds is compared only with what it
        /// adds after this.
        mutating func startSubject() {
            if !reported.isEmpty { reported.removeAll(keepingCapacity: true) }
            if !recorded.isEmpty { recorded.removeAll(keepingCapacity: true) }
        }

        /// Adds an evaluation error unless this policy added the same one on this subject
        /// (validations over one failing variable fail alike).
        mutating func report(_ diagnostic: Diagnostic) {
            if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
        }

        /// Adds a finding unless this policy added the same one on this subject: an element
        /// that a YAML alias repeats (`- *container`) is one place, however often it is listed.
        mutating func record(_ finding: Finding) {
            if recorded.insert(finding).inserted { findings.append(finding) }
        }
    }

    /// The thing a policy is evaluated on.
    enum Subject {
        /// An object of the inventory.
        case resource(EvaluatedObject)
        case values
        /// The inventory as a whole (`object` is null).
        case inventory
        /// A package or bundle: its bindings (`object` among them).
        case artifact([String: CELValue])

        /// What the rule runs of a policy evaluated once call its subject.
        var name: String {
            switch self {
            case .values: "values"
            case .inventory: "inventory"
            case .resource, .artifact: ""
            }
        }
    }

    /// An object of the inventory with what every policy evaluated on it reads: its CEL view and
    /// its Namespace's (`object`, `namespaceObject`), and the values of its shared variables. A
    /// class, made once per object: each policy takes a reference instead of copying the fields.
    final class EvaluatedObject {
        let resource: Resource
        let object: CELValue
        let namespaceObject: CELValue
        let shared: SharedVariables.Values
        /// The resource name a CustomResourceDefinition among the inputs declares for its kind.
        private let declaredPlural: String?
        /// What the object's rules compute once (its containers, its pod spec). The memo holds
        /// views of the object, whose host holds the memo: emptied when the object is done with,
        /// so that the two do not keep each other (and the object's nodes) alive.
        private let memo = YAMLCELHost.ObjectMemo()

        init(_ resource: Resource, namespaceObject: CELValue, shared: SharedVariables.Values, declaredPlural: String?) {
            self.resource = resource
            object = CELValue(resource: resource, memo: memo)
            self.namespaceObject = namespaceObject
            self.shared = shared
            self.declaredPlural = declaredPlural
        }

        deinit { memo.forget() }

        /// The object's resource name, as `Inventory.plural(of:)` gives it.
        var plural: String { declaredPlural ?? ResourceNames.plural(of: resource.kind) }
    }

    /// The Namespace objects of the objects one worker evaluates, and their CEL views
    /// (`namespaceObject`, null for none). Objects of one namespace mostly come one after another
    /// in an input, so the last answer is kept: comparing the namespace costs less than hashing
    /// three strings into the inventory's index, and the view is made once for them all.
    private struct NamespaceObjects {
        let inventory: Inventory
        /// A class rather than a tuple: an optional tuple holding a `Resource` was copied through
        /// the runtime's generic tuple witnesses, at about 450 instructions an object.
        private final class Answer {
            let namespace: String
            let object: Resource?
            let view: CELValue

            init(namespace: String, object: Resource?, view: CELValue) {
                self.namespace = namespace
                self.object = object
                self.view = view
            }
        }
        private var last: Answer?

        init(_ inventory: Inventory) {
            self.inventory = inventory
        }

        mutating func object(of resource: Resource) -> (object: Resource?, view: CELValue) {
            if let last, last.namespace == resource.namespace { return (last.object, last.view) }
            let object = inventory.namespaceObject(of: resource)
            let answer = Answer(namespace: resource.namespace, object: object, view: object.map { CELValue(resource: $0) } ?? .null)
            last = answer
            return (answer.object, answer.view)
        }
    }

    /// Evaluates one policy (the `index`th) on one object of the inventory: once with the policy's
    /// params, or, when its binding's paramRef selects them (`paramsFrom`), once per params object
    /// selected for it; none selected is a finding when the paramRef says Deny, else the object
    /// passes; none that can be looked up (see ``BindingParams``) an error. False when its match
    /// conditions exclude the object (for every params object).
    private func evaluate(
        _ policy: CompiledPolicy, index: Int, on object: EvaluatedObject, paramsFrom selection: BindingParams?, activation: PolicyActivation,
        into outcome: inout ChunkOutcome
    ) -> Bool {
        guard let selection else { return evaluate(policy, index: index, subject: .resource(object), activation: activation, into: &outcome) }
        let reporter = FindingBuilder(policy: policy, object: object, subject: object.object)
        let params: [CELValue]
        switch selection.params(for: object.resource) {
        case .success(let selected): params = selected
        case .failure(let error):
            outcome.startSubject()
            outcome.report(reporter.error(error.message))
            return true
        }
        if params.isEmpty, selection.paramRef.deniesWhenNotFound {
            outcome.startSubject()
            outcome.record(reporter.finding(selection.notFoundMessage))
        }
        var evaluated = params.isEmpty
        for value in params {
            evaluated = evaluate(policy, index: index, subject: .resource(object), params: value, activation: activation, into: &outcome) || evaluated
        }
        return evaluated
    }

    /// Evaluates one policy (the `index`th) on one subject with `activation`, with `params` when
    /// given (else the policy's); false when its match conditions exclude the subject.
    func evaluate(
        _ policy: CompiledPolicy, index: Int, subject: Subject, params: CELValue? = nil, activation: PolicyActivation, into outcome: inout ChunkOutcome
    ) -> Bool {
        let evaluatedObject: EvaluatedObject? = if case .resource(let object) = subject { object } else { nil }
        let shared = evaluatedObject.map { SharedVariables.Access(slots: sharedVariables.slots[index], values: $0.shared) }
        let bindings = bindings(of: policy, on: subject, params: params)
        let reporter = FindingBuilder(policy: policy, object: evaluatedObject, subject: bindings.object)
        // Moved into the activation: copying them cost about 500 instructions an evaluation.
        activation.start(policy, index: index, bindings: consume bindings, shared: consume shared)
        outcome.startSubject()

        // As in Kubernetes, any false condition excludes the subject, whatever the order: an
        // error counts only when no condition is false.
        var conditionFailure: Diagnostic?
        for (name, condition) in policy.conditions {
            switch condition.evaluate(activation, costLimit: settings.costLimit) {
            case .bool(true): continue
            case .bool(false): return false
            case .error(let error):
                conditionFailure = conditionFailure ?? reporter.error("matchCondition \(name): \(error.message)", at: error)
            case let other:
                conditionFailure = conditionFailure ?? reporter.error("matchCondition \(name) must evaluate to a bool, not \(other.celType.name)")
            }
        }
        if let conditionFailure {
            outcome.report(conditionFailure)
            return true
        }
        for (position, validation) in policy.validations.enumerated() {
            guard let forEach = validation.forEach, let elementPosition = validation.elementPosition else {
                check(validation, at: position, element: nil, activation: activation, reporter: reporter, into: &outcome)
                continue
            }
            switch forEach.evaluate(activation, costLimit: settings.costLimit) {
            case .list(let elements):
                for index in 0..<elements.count {
                    activation.bind(validation.validation.forEachName, declaredAt: elementPosition, to: elements[index])
                    check(validation, at: position, element: elements[index], activation: activation, reporter: reporter, into: &outcome)
                }
                activation.unbindElement()
            case .error(let error):
                outcome.report(reporter.error(Self.message(of: error, in: Self.name(ofValidation: position) + ".forEach"), at: error))
            case let other:
                // At the value when it is one of the object's (a map written where a list belongs).
                let type = other.celType.name
                outcome.report(reporter.error(
                    Self.name(ofValidation: position) + ".forEach must evaluate to a list, not \(PolicyCompiler.withArticle(type))",
                    at: CELEvalError("", map: other)))
            }
        }
        return true
    }

    /// What `policy` sees when evaluated on `subject`, with `params` when given (else its own).
    /// (Made in one initialization: a `var` set field by field was copied on return.)
    private func bindings(of policy: CompiledPolicy, on subject: Subject, params: CELValue?) -> PolicyActivation.Bindings {
        let params = params ?? policy.params
        let tier = settings.tier.map(CELValue.string) ?? .null
        switch subject {
        case .resource(let object):
            let view = policy.policy.podTemplateControllers.first(where: { $0.controls(object.resource) })
                .map { PodTemplateView.object(object.object, templateAt: $0.templatePath) } ?? object.object
            return PolicyActivation.Bindings(
                object: view, namespaceObject: object.namespaceObject, params: params, tier: tier, values: settings.values,
                request: policy.policy.isAdmissionPolicy ? AdmissionRequest.create(for: object.resource, plural: object.plural) : nil)
        case .values:
            return PolicyActivation.Bindings(object: settings.values, params: params, tier: tier, values: settings.values)
        case .inventory:
            return PolicyActivation.Bindings(params: params, tier: tier, values: settings.values)
        case .artifact(let artifact):
            return PolicyActivation.Bindings(object: artifact["object"] ?? .null, params: params, tier: tier, values: settings.values, others: artifact)
        }
    }

    /// The message of a failed `validation`, `computed` the text its messageExpression gave.
    ///
    /// As in Kubernetes, a messageExpression that fails or gives a blank text falls back to the
    /// static message. An admission policy's falls back as Kubernetes' does: the text trimmed,
    /// refused with a line break or beyond 5 KiB, then the static message trimmed, then `failed
    /// expression: EXPRESSION`. Airlock's own policies keep a computed text as it is, line breaks
    /// and all (reports escape them: it often quotes the offending value), and fall back to the
    /// policy's title.
    static func message(of validation: Validation, computed: String?, in policy: Policy) -> String {
        guard policy.isAdmissionPolicy else {
            if let computed, !computed.allSatisfy(\.isWhitespace) { return computed }
            return validation.message ?? policy.descriptor.title
        }
        let trimmed = computed.map(Self.trimmed) ?? ""
        if !trimmed.isEmpty, !trimmed.contains(where: \.isNewline), trimmed.utf8.count <= 5 * 1024 { return trimmed }
        let message = validation.message.map(Self.trimmed) ?? ""
        return message.isEmpty ? "failed expression: " + Self.trimmed(validation.expression.source) : message
    }

    /// Without white space at either end, as Go's `strings.TrimSpace`.
    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    /// A validation as Kubernetes names it in errors (`validations[2]`): two that fail alike stay
    /// apart. Made only for an error.
    private static func name(ofValidation position: Int) -> String { "validations[\(position)]" }

    /// An error's message, naming the expression it came from: `expression` (such as
    /// `validations[2]`), unless a variable failed (its error names it, and is reported once
    /// however many validations read it).
    private static func message(of error: CELEvalError, in expression: String) -> String {
        error.message.hasPrefix("variables.") ? error.message : "\(expression): \(error.message)"
    }

    private func check(
        _ validation: CompiledValidation, at position: Int, element: CELValue?, activation: PolicyActivation, reporter: FindingBuilder,
        into outcome: inout ChunkOutcome
    ) {
        switch validation.program.evaluate(activation, costLimit: settings.costLimit) {
        case .bool(true): return
        case .bool(false):
            let computed: String?
            if let program = validation.message, case .string(let text) = program.evaluate(activation, costLimit: settings.costLimit) {
                computed = text
            } else {
                computed = nil
            }
            let message = Self.message(of: validation.validation, computed: computed, in: reporter.policy.policy)
            // Likewise a pathExpression that fails, or gives no path, falls back to `path`.
            let path = validation.path.flatMap { FindingBuilder.path(from: $0.evaluate(activation, costLimit: settings.costLimit)) } ?? validation.validation.path
            outcome.record(reporter.finding(message, validation: validation.validation, path: path, element: element))
        case .error(let error):
            outcome.report(reporter.error(Self.message(of: error, in: Self.name(ofValidation: position)), element: element, at: error))
        case let other:
            outcome.report(reporter.error(Self.name(ofValidation: position) + " must evaluate to a bool, not \(other.celType.name)", element: element))
        }
    }
}
