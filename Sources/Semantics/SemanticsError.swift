// placeholder: replaced by the Semantics work
