import CEL

/// The values that ConfigMaps among the inputs give containers' environments, as the kubelet sets
/// them: the key an env entry names (`valueFrom.configMapKeyRef`), and every key of the ConfigMap
/// an `envFrom` entry names (`configMapRef`, each key behind the entry's `prefix`). A ConfigMap
/// that is not among the inputs, a key it lacks, and a Secret give nothing: such a variable stays
/// unknown, never some value it might have.
struct ConfigMapValues: Sendable {
    let inventory: Inventory

    /// Where a variable's value was read.
    struct Source {
        let configMap: String
        let key: String
    }

    /// A variable an `envFrom` entry defines.
    struct Variable {
        let name: String
        let value: String
        let source: Source
        /// The position of the `envFrom` entry in its list.
        let entry: Int
    }

    /// The value of `key` of ConfigMap `name` in `namespace`, when both are among the inputs.
    func value(namespace: String, name: String, key: String) -> String? {
        data(namespace: namespace, name: name)?.child(key).flatMap(EnvReferenceExpansion.text(of:))
    }

    /// The value an env entry's `valueFrom.configMapKeyRef` names, and where it was read.
    func value(of entry: CELValue, namespace: String) -> (value: String, source: Source)? {
        guard let reference = entry.child("valueFrom")?.child("configMapKeyRef"),
              case .string(let name)? = reference.child("name"), case .string(let key)? = reference.child("key"),
              let value = value(namespace: namespace, name: name, key: key)
        else { return nil }
        return (value, Source(configMap: name, key: key))
    }

    /// The variables of a container's `envFrom` list in `namespace`, in the order of its entries;
    /// a name a later entry defines again is the later one's only, as for the kubelet. An entry
    /// whose keys are not known (a Secret, a ConfigMap not among the inputs) may define any name
    /// again, so the variables of the entries before it are not known either.
    func variables(envFrom: CELList, namespace: String) -> [Variable] {
        var variables: [Variable] = []
        var positions: [String: Int] = [:]
        for index in 0..<envFrom.count {
            let entry = envFrom[index]
            guard case .string(let name)? = entry.child("configMapRef")?.child("name"),
                  case .map(let data)? = data(namespace: namespace, name: name)
            else {
                variables.removeAll()
                positions.removeAll()
                continue
            }
            var prefix = ""
            if case .string(let text)? = entry.child("prefix") { prefix = text }
            for key in data.keys {
                guard case .string(let keyText) = key, let value = data.value(forKey: key).flatMap(EnvReferenceExpansion.text(of:)) else { continue }
                let variable = Variable(name: prefix + keyText, value: value, source: Source(configMap: name, key: keyText), entry: index)
                if let earlier = positions[variable.name] {
                    variables[earlier] = variable
                } else {
                    positions[variable.name] = variables.count
                    variables.append(variable)
                }
            }
        }
        return variables
    }

    /// The `data` of ConfigMap `name` in `namespace`, when it is among the inputs.
    private func data(namespace: String, name: String) -> CELValue? {
        inventory.resource(kind: "ConfigMap", namespace: namespace, name: name).flatMap { CELValue(resource: $0).child("data") }
    }
}
