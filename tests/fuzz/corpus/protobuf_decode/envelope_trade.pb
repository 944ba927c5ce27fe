1.0$7f7c2a4e-0c55-4d8e-9a39-3b1c2d4e5f602oms:riskBôŸ¥Ø€ÊµîZ?
t-9o-1MSFT ((1¸…ëQ¸y@:ñŸ¥Ø€ÊµîBXNASI¸…ëQ¸¾?RUSDr	
desk7