package io.marketintel.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A trade as our library writes it in JSON (include/mib/serde/trade.hpp, the field table of
 * src/serde/message_tables.hpp): {"trade_id":..,"order_id":..,"symbol":..,"side":"BUY",
 * "quantity":150,"price":101.25,"timestamp":"2026-01-05T14:30:00.0001Z","venue":..,"fee":..,
 * "fee_currency":..}. The timestamp stays text here; TradeTimestamp parses it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Trade {
  @JsonProperty("trade_id")
  public String tradeId;

  @JsonProperty("order_id")
  public String orderId;

  @JsonProperty("symbol")
  public String symbol;

  @JsonProperty("side")
  public String side;

  @JsonProperty("quantity")
  public long quantity;

  @JsonProperty("price")
  public double price;

  @JsonProperty("timestamp")
  public String timestamp;

  @JsonProperty("venue")
  public String venue;

  @JsonProperty("fee")
  public Double fee;

  @JsonProperty("fee_currency")
  public String feeCurrency;
}
