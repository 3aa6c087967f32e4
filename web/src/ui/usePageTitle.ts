import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** Sets the browser tab's title to the page's heading and the product name. */
export function usePageTitle(title: string) {
  const { t } = useTranslation("common");
  const product = t("product");
  useEffect(() => {
    document.title = title ? `${title} · ${product}` : product;
  }, [title, product]);
}
