import CEL

/// A pod controller as a Pod policy reads it under Kyverno's autogen, which rewrites the policy's
/// `object.spec` to the pod template's spec and `object.metadata` to its metadata, except the
/// object's own `metadata.name` and `metadata.namespace`: the view has the controller's fields,
/// with `spec` and `metadata` taken from the template (the name and namespace from the
/// controller). Every value keeps its place, so findings point into the template.
enum PodTemplateView {
    /// The view of `object`, whose pod template is at `templatePath`; `object` itself when it is no
    /// mapping.
    static func object(_ object: CELValue, templateAt templatePath: [String]) -> CELValue {
        guard case .map(let map) = object, let position = object.positioned?.position else { return object }
        var template: CELValue? = object
        for key in templatePath { template = template?.child(key) }
        var view = FactMap(at: position)
        for key in map.keys {
            guard case .string(let name) = key, let value = map.value(forKey: key) else { continue }
            switch name {
            case "spec": if let spec = template?.child("spec") { view.set(name, spec) }
            case "metadata": view.set(name, metadata(of: template?.child("metadata"), owner: value))
            default: view.set(name, value)
            }
        }
        return view.celValue
    }

    /// The template's metadata with the controller's name and namespace.
    private static func metadata(of template: CELValue?, owner: CELValue) -> CELValue {
        guard let position = template?.positioned?.position ?? owner.positioned?.position else { return owner }
        var merged = FactMap(at: position)
        if case .map(let fields)? = template {
            for key in fields.keys {
                guard case .string(let name) = key, let value = fields.value(forKey: key) else { continue }
                merged.set(name, value)
            }
        }
        for name in ["name", "namespace"] {
            if let value = owner.child(name) { merged.set(name, value, at: owner.positioned?.position(ofKey: .string(name))) }
        }
        return merged.celValue
    }
}
