/// The evaluated arguments of one function call (the target first for receiver calls). They
/// live on the caller's stack for the duration of the call, so a call allocates nothing for
/// them; a function that keeps its arguments must copy them (`Array(arguments)`).
public struct CELArguments: RandomAccessCollection {
    private let values: UnsafeBufferPointer<CELValue>

    init(_ values: UnsafeBufferPointer<CELValue>) { self.values = values }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(position: Int) -> CELValue { values[position] }
}
