import YAMLSource

/// What a Kyverno `ValidatingPolicy` adds to a ValidatingAdmissionPolicy's spec, read and checked
/// as Kyverno checks it: how Kyverno enforces a failure (`validationActions`, `evaluation`,
/// `webhookConfiguration`, which change nothing in a gate: every failure is a finding) and
/// which pod controllers its Pod rules also check (`autogen`).
struct KyvernoPolicyFields {
    /// The controllers `spec.autogen.podControllers.controllers` names; nil when it names none
    /// (Kyverno then takes them all), empty when it is an empty list (none).
    var podControllers: [PodTemplateController]?

    private enum EvaluationMode: String, CaseIterable {
        case kubernetes = "Kubernetes", json = "JSON"
    }

    /// What a failed validation does (`validationActions` of a Kyverno ValidatingPolicy or a
    /// ValidatingAdmissionPolicyBinding): deny the request, warn the client, or record an audit event.
    enum ValidationAction: String, CaseIterable {
        case deny = "Deny", audit = "Audit", warn = "Warn"

        /// The `validationActions` of `spec`, each problem an error at its place: an unknown
        /// action, one given twice, Deny with Warn (which would say the same twice), and, when
        /// `required`, none.
        static func read(_ spec: inout StrictMapping, required: Bool = false) -> Set<ValidationAction> {
            let actions = spec.choiceItems("validationActions", as: ValidationAction.self, required: required)
            var seen: Set<ValidationAction> = []
            for (action, node) in actions where !seen.insert(action).inserted {
                spec.report("spec.validationActions: \"\(action.rawValue)\" is given twice", at: node)
            }
            if seen.contains(.deny), seen.contains(.warn), let node = spec.field("validationActions") {
                spec.report("spec.validationActions: Deny and Warn may not be given together", at: node)
            }
            return seen
        }
    }

    /// `failurePolicy`, of a ValidatingAdmissionPolicy too.
    enum FailurePolicy: String, CaseIterable {
        case ignore = "Ignore", fail = "Fail"
    }

    /// Reads the fields from `spec`, reporting each problem there.
    static func read(_ spec: inout StrictMapping) -> KyvernoPolicyFields {
        var fields = KyvernoPolicyFields()
        _ = ValidationAction.read(&spec)
        _ = spec.choice("failurePolicy", as: FailurePolicy.self)
        if var evaluation = spec.mapping("evaluation") {
            if evaluation.choice("mode", as: EvaluationMode.self) == .json, let mode = evaluation.field("mode") {
                evaluation.report("spec.evaluation.mode JSON checks JSON documents of any shape, not Kubernetes objects, which is what airlock checks", at: mode)
            }
            for phase in ["admission", "background"] {
                guard var settings = evaluation.mapping(phase) else { continue }
                _ = settings.bool("enabled")
                evaluation.absorb(&settings)
            }
            spec.absorb(&evaluation)
        }
        if var webhook = spec.mapping("webhookConfiguration") {
            if let seconds = webhook.positiveInt("timeoutSeconds"), seconds > 30, let node = webhook.field("timeoutSeconds") {
                webhook.report("spec.webhookConfiguration.timeoutSeconds must be between 1 and 30", at: node)
            }
            spec.absorb(&webhook)
        }
        if var autogen = spec.mapping("autogen") {
            if var controllers = autogen.mapping("podControllers") {
                if controllers.field("controllers") != nil {
                    fields.podControllers = controllers.stringItems("controllers").compactMap { name, node in
                        guard let controller = PodTemplateController.all.first(where: { $0.resource == name }) else {
                            let known = PodTemplateController.all.map(\.resource).joined(separator: ", ")
                            controllers.report("spec.autogen.podControllers.controllers has \"\(name)\"; expected one of: \(known)", at: node)
                            return nil
                        }
                        return controller
                    }
                }
                autogen.absorb(&controllers)
            }
            if var admissionPolicy = autogen.mapping("validatingAdmissionPolicy") {
                _ = admissionPolicy.bool("enabled")
                autogen.absorb(&admissionPolicy)
            }
            spec.absorb(&autogen)
        }
        return fields
    }
}
