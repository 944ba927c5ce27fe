
commandfeed-handlerpause"
seconds<"
symbols
:
2MSFT*óŸ¥Ø2r-1