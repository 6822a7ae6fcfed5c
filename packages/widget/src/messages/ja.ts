import type { BannerMessages } from '../messages.js';

/** The widget's Japanese messages of the banner. */
export const ja: BannerMessages = {
  bannerTitle: 'プライバシーの選択',
  bannerOptIn:
    '{controller}は、以下の目的でご訪問のデータを利用してよいかお尋ねします。選択されるまでは、ストアの動作に必要なもの以外は収集しません。選択はいつでも変更できます。',
  bannerOptOut:
    '{controller}は、以下の目的でご訪問のデータを利用します。個人情報の販売・共有を含め、いつでも停止を求められます。',
  alwaysOnSuffix: '（常に有効）',
  acceptAll: 'すべて同意する',
  rejectAll: 'すべて拒否する',
  acknowledge: 'OK',
  doNotSell: '個人情報を販売・共有しない',
  customise: 'カスタマイズ',
  gpcHonoured: 'グローバル・プライバシー・コントロールを尊重し、個人情報の販売・共有は行いません。',
  privacyPolicy: 'プライバシーポリシー',
  saveFailed: '選択を保存できなかったため、任意のデータは収集しません。もう一度お試しください。',
  reopen: 'プライバシー設定',
};
