// placeholder: replaced by the Network work
