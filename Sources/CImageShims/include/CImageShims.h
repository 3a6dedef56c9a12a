// placeholder: replaced by the ImageIO work
int CImageShims_placeholder(void);
