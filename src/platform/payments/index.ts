import type { Config } from "../../config.js";
import { InvoiceProvider, LocalCardProvider } from "./local.js";
import type { PaymentProvider, PaymentProviders, ProviderName } from "./provider.js";
import { StripeProvider } from "./stripe.js";

/** The payment providers the configuration names: Stripe or the local card processor, and invoices. */
export function createPaymentProviders(
  config: Config,
  overrides: Partial<Record<ProviderName, PaymentProvider>> = {},
): PaymentProviders {
  const local = overrides.local ?? new LocalCardProvider(config.secret, config.publicUrl);
  const stripe =
    overrides.stripe ??
    (config.payments.stripe ? new StripeProvider(config.payments.stripe) : undefined);
  const invoice = overrides.invoice ?? new InvoiceProvider();
  const card = config.payments.provider === "stripe" && stripe ? stripe : local;
  const byName: Partial<Record<ProviderName, PaymentProvider>> = { local, invoice, stripe };
  return {
    card,
    invoice,
    get(name) {
      const provider = byName[name];
      if (!provider) throw new Error(`payment provider ${name} is not configured`);
      return provider;
    },
  };
}
