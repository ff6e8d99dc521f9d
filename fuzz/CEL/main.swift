// libFuzzer target: compile the input as a CEL expression and evaluate it against a small
// activation with a cost limit, and type-check it. Any crash, trap or hang is a bug; errors are
// fine.
import CEL

let environment = CELEnvironment(declaredVariables: ["x", "s", "l", "m", "object"])
let activation = CELDictionaryActivation([
    "x": .int(7),
    "s": .string("registry.local:5000/app@sha256:abc"),
    "l": .list(CELList((0..<16).map { CELValue.int(Int64($0)) })),
    "m": .map(CELMap(["a": .int(1), "b": .string("two"), "c": .list(CELList([.bool(true), .null]))])),
    "object": .map(CELMap(["metadata": .map(CELMap(["name": .string("web"), "labels": .map(CELMap(["team": .string("alpha")]))])),
                           "spec": .map(CELMap(["replicas": .int(3), "cpu": .string("500m")]))])),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCEL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let program = try? environment.compile(source) else { return 0 }
    let shared = program.evaluate(activation, costLimit: 20_000)
    // Shared subexpressions change the cost, never the value.
    guard let unshared = try? unsharedEnvironment.compile(source).evaluate(activation, costLimit: 20_000) else {
        fatalError("compiles only with shared subexpressions: \(source)")
    }
    if !isCostLimit(shared), !isCostLimit(unshared), rendered(shared) != rendered(unshared) {
        fatalError("shared subexpressions changed the value of \(source): \(rendered(shared)) instead of \(rendered(unshared))")
    }
    // A type the checker states is the type of the value evaluation gives.
    if let checked = try? checkedEnvironment.compile(source), checked.resultType != .dyn {
        if case .error = shared { return 0 }
        guard CELStaticType(of: shared).mayBe(checked.resultType) else {
            fatalError("\(source) checked as \(checked.resultType) but evaluates to \(rendered(shared))")
        }
    }
    return 0
}

/// The environment with the type check on, told the types of the activation's values.
private let checkedEnvironment: CELEnvironment = {
    var checked = environment
    checked.checksTypes = true
    checked.declaredTypes = ["x": .int, "s": .string, "l": .list(.int), "m": .map(.string, .dyn)]
    return checked
}()

private let unsharedEnvironment: CELEnvironment = {
    var unshared = environment
    unshared.sharesSubexpressions = false
    return unshared
}()

private func isCostLimit(_ value: CELValue) -> Bool {
    if case .error(let error) = value { return error.kind == .costLimitExceeded }
    return false
}

/// The value with its error's message and position, as a report would show it.
private func rendered(_ value: CELValue) -> String {
    if case .error(let error) = value { return "error \(error.message) at \(error.offset ?? -1)" }
    return value.description
}
