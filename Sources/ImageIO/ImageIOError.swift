// placeholder: replaced by the ImageIO work
