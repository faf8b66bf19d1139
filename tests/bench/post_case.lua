-- wrk script: files a complete case (two parties, one claim) as a lawyer, submitted.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"center":"ZHC","type":"commercial","subtype":"debt","title":"货款欠款 benchmark",
"summary":"对方收货后未付清货款。","applicants":[{"kind":"company","name":"珠海海鮮貿易有限公司",
"residence":"zhuhai","language":"zh-Hans"}],"respondents":[{"kind":"company",
"name":"澳門利興貿易有限公司","residence":"macao","language":"zh-Hant"}],
"claims":[{"description":"未付货款","amount":{"value":"86000.00","currency":"CNY"}}],
"consent":{"mediation":true,"electronic_service":false},"submit":true}]]
