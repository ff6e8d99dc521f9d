/// The largest string or list a library function may build. The cost limit charges a call by the
/// size of its arguments, but `replace`, `join`, `format` and `flatten` can make a result far
/// larger than their arguments (an empty pattern replaced by a long text; a list nesting itself),
/// so a tiny expression asked for gigabytes: past this size they return an error instead.
enum ResultSizeLimit {
    /// Bytes of a built string: 16 MiB, sixteen times the largest ConfigMap Kubernetes stores.
    static let stringBytes = 16 << 20
    /// Elements of a built list.
    static let listElements = 1 << 20

    static func stringError(_ function: String) -> CELValue {
        .err("\(function): the result would be larger than \(stringBytes >> 20) MiB")
    }

    static func listError(_ function: String) -> CELValue {
        .err("\(function): the result would have more than \(listElements) elements")
    }
}
