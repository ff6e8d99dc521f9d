print("values")
