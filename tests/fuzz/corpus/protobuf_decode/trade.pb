
t-9o-1MSFT ((1¸…ëQ¸y@:ñŸ¥Ø€ÊµîBXNASI¸…ëQ¸¾?RUSD