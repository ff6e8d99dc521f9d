import CEL

/// A policy whose expressions are compiled once for the run, ready to evaluate on many objects.
public struct CompiledPolicy: Sendable {
    public var policy: Policy
    /// The policy's params after run overrides.
    public var params: CELValue
    var variables: [(name: String, program: CELProgram)]
    var conditions: [(name: String, program: CELProgram)]
    var validations: [CompiledValidation]

    public var descriptor: RuleDescriptor { policy.descriptor }
}

struct CompiledValidation: Sendable {
    var validation: Validation
    var program: CELProgram
    var forEach: CELProgram?
    var message: CELProgram?
}
