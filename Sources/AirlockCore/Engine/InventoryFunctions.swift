import CEL

/// The CEL functions that look across all inputs through the inventory's indexes, Kyverno's
/// `resource.List` and `resource.Get` among them. Each lookup is a hash probe, never a scan.
public enum InventoryFunctions {
    /// The kind `resources()` reads as every kind.
    static let anyKind = "*"

    /// The names of the functions `all(_:)` gives.
    static let names = Set(all(Inventory()).map(\.name))

    public static func all(_ inventory: Inventory) -> [CELFunction] {
        let box = InventoryBox(inventory)
        return [
            CELFunction(name: "resources", kind: .global, arity: 1, resultType: .list(.dyn)) { args in
                guard case .string(let kind) = args[0] else { return .err("resources(kind) takes a string") }
                return box.list(kind == anyKind ? box.inventory.resources : box.inventory.resources(kind: kind))
            },
            CELFunction(name: "resources", kind: .global, arity: 2, resultType: .list(.dyn)) { args in
                guard case .string(let kind) = args[0], case .string(let namespace) = args[1] else {
                    return .err("resources(kind, namespace) takes two strings")
                }
                return box.list(kind == anyKind ? box.inventory.resources(namespace: namespace) : box.inventory.resources(kind: kind, namespace: namespace))
            },
            CELFunction(name: "namespaces", kind: .global, arity: 0, resultType: .list(.string)) { _ in
                .list(CELList(box.inventory.namespaces.filter { !$0.isEmpty }.map(CELValue.string)))
            },
            CELFunction(name: "resource", kind: .global, arity: 3) { args in
                guard case .string(let kind) = args[0], case .string(let namespace) = args[1], case .string(let name) = args[2] else {
                    return .err("resource(kind, namespace, name) takes three strings")
                }
                return box.inventory.resource(kind: kind, namespace: namespace, name: name).map { CELValue(resource: $0) } ?? .null
            },
        ] + KyvernoResourceLookup(inventory).functions
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
