(component
  (type $e (func (param "e" error-context)))
  (core func $drop (canon error-context.drop))
)
