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
        guard let position = object.positioned?.position else { return object }
        let template = templatePath.reduce(Optional(object)) { $0?.child($1) }
        var view = FactMap(at: position)
        for (name, value) in entries(of: object) {
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
        for (name, value) in entries(of: template) { merged.set(name, value) }
        for name in ["name", "namespace"] {
            if let value = owner.child(name) { merged.set(name, value, at: owner.positioned?.position(ofKey: .string(name))) }
        }
        return merged.celValue
    }

    /// The entries of a map under string keys, in its order; none for another value.
    private static func entries(of value: CELValue?) -> [(name: String, value: CELValue)] {
        guard case .map(let map)? = value else { return [] }
        return map.keys.compactMap { key in
            guard case .string(let name) = key, let value = map.value(forKey: key) else { return nil }
            return (name, value)
        }
    }
}
