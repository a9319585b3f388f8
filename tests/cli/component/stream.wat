(component
  (type $s (stream u8))
  (core func $new (canon stream.new $s))
)
