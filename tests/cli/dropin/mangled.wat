(module
  (func $_ZN4core3fmt9Formatter3pad17h0123456789abcdefE)
  (func $_RNvCs1234_7mycrate3foo)
  (func $_Z3fooiPKc)
  (func $main))
