print("airlock-bench")
