import CEL

/// What a run knows beyond the objects: the tier, merged Helm values, limits.
public struct EvaluationSettings: Sendable {
    /// `edge`, `datacenter` or `connected`, from `--tier` or the values' `global.tier`.
    public var tier: String?
    /// The merged Helm values, or `.null`.
    public var values: CELValue
    /// Why the `--values` files given could not be read, when one could not: the values are then
    /// `.null`, and the policies that read them are reported as not run rather than evaluated on
    /// part of the values.
    public var unreadValues: String?
    /// Cost budget of one expression evaluation (as Kubernetes' per-expression limit).
    public var costLimit: Int

    /// What each object of the inputs adds to the cost budget (see `costLimit(forObjects:)`).
    public static let costPerObject = 1_000

    /// The cost budget of one evaluation in a run over `count` objects: `costLimit` and
    /// `costPerObject` for each object. Rules that look through a namespace (a ResourceQuota's,
    /// reading every Pod of it) cost in proportion to the input, and a fixed budget failed them on
    /// a namespace of 12,000 Pods; an expression quadratic in the input still exceeds it.
    public func costLimit(forObjects count: Int) -> Int {
        let (perObject, overflowed) = Self.costPerObject.multipliedReportingOverflow(by: count)
        let (limit, tooLarge) = costLimit.addingReportingOverflow(perObject)
        return overflowed || tooLarge ? Int.max : limit
    }
    /// Whether `airlock.dev/exception.*` annotations may suppress findings.
    public var allowInlineExceptions: Bool

    public init(tier: String? = nil, values: CELValue = .null, costLimit: Int = 1_000_000, allowInlineExceptions: Bool = true) {
        self.tier = tier
        self.values = values
        self.costLimit = costLimit
        self.allowInlineExceptions = allowInlineExceptions
    }
}
