extension CELList {
    /// The host provider behind a lazily backed list, so hosts can recover their own data.
    public var provider: (any CELListProvider)? {
        if case .provider(let provider) = storage { return provider }
        return nil
    }
}

extension CELMap {
    /// The host provider behind a lazily backed map, so hosts can recover their own data.
    public var provider: (any CELMapProvider)? {
        if case .provider(let provider) = storage { return provider }
        return nil
    }
}
