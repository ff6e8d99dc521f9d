import CEL

/// The CEL functions that look across all inputs through the inventory's indexes, Kyverno's
/// `resource.List` and `resource.Get` among them. Each lookup is a hash probe, never a scan.
public enum InventoryFunctions {
    /// The kind `resources()` reads as every kind.
    static let anyKind = "*"

    /// The names of the functions `all(_:)` gives.
    static let names = Set(all(Inventory()).map(\.name))
    /// The functions whose first argument is a kind.
    static let kindLookups = ["resources", "resource"]

    public static func all(_ inventory: Inventory) -> [CELFunction] {
        let box = InventoryBox(inventory)
        return [
            CELFunction(name: "resources", kind: .global, arity: 1, resultType: .list(.dyn)) { args in
                guard case .string(let kind) = args[0] else { return .err("resources(kind) takes a string") }
                if let error = unfound(kind, by: "resources") { return error }
                return box.list(kind == anyKind ? box.inventory.resources : box.inventory.resources(kind: kind))
            },
            CELFunction(name: "resources", kind: .global, arity: 2, resultType: .list(.dyn)) { args in
                guard case .string(let kind) = args[0], case .string(let namespace) = args[1] else {
                    return .err("resources(kind, namespace) takes two strings")
                }
                if let error = unfound(kind, by: "resources") { return error }
                return box.list(kind == anyKind ? box.inventory.resources(namespace: namespace) : box.inventory.resources(kind: kind, namespace: namespace))
            },
            CELFunction(name: "namespaces", kind: .global, arity: 0, resultType: .list(.string)) { _ in
                .list(CELList(box.inventory.namespaces.filter { !$0.isEmpty }.map(CELValue.string)))
            },
            CELFunction(name: "resource", kind: .global, arity: 3) { args in
                guard case .string(let kind) = args[0], case .string(let namespace) = args[1], case .string(let name) = args[2] else {
                    return .err("resource(kind, namespace, name) takes three strings")
                }
                if let error = unfound(kind, by: "resource") { return error }
                return box.inventory.resource(kind: kind, namespace: namespace, name: name).map { CELValue(resource: $0) } ?? .null
            },
        ] + KyvernoResourceLookup(inventory).functions
    }

    /// An error for a kind written with a group or version that the inventory never indexes an
    /// object by (`apps/Deployment`, `example.com/Widget`, `apps/v1/Deployment`), nil for one it
    /// may: a bare kind, or `group/Kind` of one of Kubernetes' own kinds in another group (see
    /// `Resource.indexKind`). Such a lookup would find nothing, and a rule reading its empty
    /// list would pass without looking.
    private static func unfound(_ kind: String, by function: String) -> CELValue? {
        // Asked at every lookup: a bare kind, nearly every one, is told by its bytes alone (read
        // in place: the generic `utf8.contains` cost 300 instructions a call).
        var text = kind
        guard text.withUTF8({ $0.contains(UInt8(ascii: "/")) }) else { return nil }
        let parts = kind.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, BuiltinKinds.isLookalike(kind: String(parts[1]), group: String(parts[0])) { return nil }
        return .err(
            "\(function)(): no object is ever found as \"\(kind)\" (did you mean \"\(parts[parts.count - 1])\"?): a kind is named bare (Deployment, Widget), "
                + "and only one of Kubernetes' own kinds in another group as group/Kind (projectcalico.org/NetworkPolicy)")
    }
}

/// Shares the run's inventory with the function closures.
private final class InventoryBox: Sendable {
    let inventory: Inventory

    init(_ inventory: Inventory) {
        self.inventory = inventory
    }

    func list(_ resources: [Resource]) -> CELValue {
        .list(CELList(provider: ResourceList(resources: resources)))
    }
}

/// Resources as a lazy CEL list of their objects.
private struct ResourceList: CELListProvider {
    let resources: [Resource]
    var count: Int { resources.count }
    func element(at index: Int) -> CELValue { CELValue(resource: resources[index]) }
}
