package main

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/spaconfig"
)

// WebProps configure the Web construct.
type WebProps struct {
	// APIDomain is the HTTP API's host name, the origin of /api/*.
	APIDomain *string
	Retain    bool
	// SPAConfig is served as /config.json, the SPA's runtime config (which
	// issuer, client id and sign-in flow); see viewerRequest.
	SPAConfig spaconfig.Config
}

// Web is the SPA: a private bucket behind CloudFront, which also routes
// /api/* to the HTTP API so the SPA and the API share one origin.
type Web struct {
	constructs.Construct
	Bucket       awss3.Bucket
	LogBucket    awss3.Bucket
	Distribution awscloudfront.Distribution
}

// SPAConfigPath is where the SPA reads its runtime config, beside index.html.
const SPAConfigPath = "/config.json"

// viewerRequest is the default behaviour's viewer-request function:
//
//   - /config.json is answered at the edge with the environment's runtime
//     config, so the stack (not an upload step) decides which issuer, client
//     id and flow the SPA signs in with. A function-generated response needs
//     no object in the bucket, no deployment Lambda and no invalidation, is
//     never cached, and an `aws s3 sync --delete` of the SPA cannot remove it
//     (docs/adr/0310).
//   - every path without a file extension (an Angular route such as
//     /sessoes/st-123) is served index.html. CloudFront's custom error
//     responses would do it too, but they apply to the whole distribution and
//     would turn the API's own 403/404 problem+json into index.html.
func viewerRequest(cfg spaconfig.Config) string {
	body, err := cfg.JSON()
	if err != nil {
		panic(fmt.Errorf("spa runtime config: %w", err))
	}
	literal, _ := json.Marshal(string(body)) // a JSON string is a JavaScript string literal
	return `var spaConfig = ` + string(literal) + `;
function handler(event) {
  var request = event.request;
  if (request.uri === '` + SPAConfigPath + `') {
    return {
      statusCode: 200,
      statusDescription: 'OK',
      headers: {
        'content-type': { value: 'application/json' },
        'cache-control': { value: 'no-cache' },
        'x-content-type-options': { value: 'nosniff' }
      },
      body: { encoding: 'text', data: spaConfig }
    };
  }
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`
}

// contentSecurityPolicy lets the SPA load only itself, Google sign-in and
// YouTube trailers; posters may come from any https host. Where the SPA
// pays through Stripe it also lets Stripe.js in, with its API and its
// frames (the Payment Element, 3-D Secure), and nowhere else.
func contentSecurityPolicy(cfg spaconfig.Config) string {
	script, connect, frame := "", "", ""
	if cfg.Payments != nil && cfg.Payments.Provider == spaconfig.ProviderStripe {
		script, connect, frame = " https://js.stripe.com", " https://api.stripe.com", " https://js.stripe.com https://hooks.stripe.com"
	}
	return "default-src 'self'; " +
		"script-src 'self' https://accounts.google.com/gsi/client" + script + "; " +
		"style-src 'self' 'unsafe-inline' https://accounts.google.com/gsi/style; " +
		"img-src 'self' data: https:; " +
		"connect-src 'self' https://accounts.google.com" + connect + "; " +
		"frame-src https://accounts.google.com https://www.youtube-nocookie.com" + frame + "; " +
		"frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
}

// Cache-Control values CloudFront sets on what it serves: Angular's hashed
// bundles never change under their name, index.html must be revalidated so a
// deploy is seen at once.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// CatalogPaths are the public catalog reads CloudFront answers from its
// cache for CatalogCacheSeconds: the same for every buyer, and a few
// seconds stale is harmless (a seat map is not among them: the hold's
// transaction judges a seat, but the map must show the last second's). A
// flood of them at a premiere reaches the table once per edge and few
// seconds.
var CatalogPaths = []string{APIPrefix + "/cinemas", APIPrefix + "/movies", APIPrefix + "/movies/*", APIPrefix + "/showtimes", APIPrefix + "/concessions"}

// CatalogCacheSeconds is how long CloudFront keeps a catalog read.
const CatalogCacheSeconds = 5

// NewWeb builds the bucket (private, encrypted, TLS only, reachable only
// through CloudFront's origin access control), a log bucket, and the
// distribution with its behaviours:
//
//	CatalogPaths    HTTP API, cached CatalogCacheSeconds by query string, GET only
//	/api/*          HTTP API, no caching, every viewer header but Host
//	*.js *.css /media/*  hashed assets, cached for a year
//	default         index.html and SPA routes, edge cache ≤ 5 min, browsers revalidate;
//	                /config.json answered by the viewer-request function
func NewWeb(scope constructs.Construct, id string, props WebProps) *Web {
	c := constructs.NewConstruct(scope, jsii.String(id))
	removal := awscdk.RemovalPolicy_DESTROY
	if props.Retain {
		removal = awscdk.RemovalPolicy_RETAIN
	}

	logBucket := awss3.NewBucket(c, jsii.String("LogBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		// CloudFront standard logs are delivered with an ACL.
		ObjectOwnership: awss3.ObjectOwnership_BUCKET_OWNER_PREFERRED,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Expiration: awscdk.Duration_Days(jsii.Number(90)),
		}},
		RemovalPolicy: removal,
	})
	bucket := awss3.NewBucket(c, jsii.String("SiteBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		// Versions let prod roll an upload back; dev stays unversioned so
		// teardown is an `aws s3 rm --recursive`.
		Versioned:              jsii.Bool(props.Retain),
		ServerAccessLogsBucket: logBucket,
		ServerAccessLogsPrefix: jsii.String("s3/"),
		RemovalPolicy:          removal,
	})

	security := &awscloudfront.ResponseSecurityHeadersBehavior{
		ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
			ContentSecurityPolicy: jsii.String(contentSecurityPolicy(props.SPAConfig)), Override: jsii.Bool(true),
		},
		ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
		FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
			FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true),
		},
		ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
			ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override: jsii.Bool(true),
		},
		StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
			AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(365)),
			IncludeSubdomains:   jsii.Bool(true),
			Override:            jsii.Bool(true),
		},
	}
	headers := func(name, comment, cacheControl string) awscloudfront.ResponseHeadersPolicy {
		p := &awscloudfront.ResponseHeadersPolicyProps{
			Comment:                 jsii.String(comment),
			SecurityHeadersBehavior: security,
		}
		if cacheControl != "" {
			p.CustomHeadersBehavior = &awscloudfront.ResponseCustomHeadersBehavior{
				CustomHeaders: &[]*awscloudfront.ResponseCustomHeader{{
					Header: jsii.String("Cache-Control"), Value: jsii.String(cacheControl), Override: jsii.Bool(true),
				}},
			}
		}
		return awscloudfront.NewResponseHeadersPolicy(c, jsii.String(name), p)
	}
	apiHeaders := headers("ApiHeaders", "bilhetagem API: security headers", "")
	assetHeaders := headers("AssetHeaders", "bilhetagem hashed assets: security headers, immutable", cacheImmutable)
	htmlHeaders := headers("HtmlHeaders", "bilhetagem index.html: security headers, revalidate", cacheRevalidate)

	htmlCache := awscloudfront.NewCachePolicy(c, jsii.String("HtmlCache"), &awscloudfront.CachePolicyProps{
		Comment:                    jsii.String("bilhetagem index.html: short edge cache, so a deploy shows within minutes even without an invalidation"),
		MinTtl:                     awscdk.Duration_Seconds(jsii.Number(0)),
		DefaultTtl:                 awscdk.Duration_Seconds(jsii.Number(60)),
		MaxTtl:                     awscdk.Duration_Minutes(jsii.Number(5)),
		EnableAcceptEncodingGzip:   jsii.Bool(true),
		EnableAcceptEncodingBrotli: jsii.Bool(true),
	})

	rewrite := awscloudfront.NewFunction(c, jsii.String("SpaRewrite"), &awscloudfront.FunctionProps{
		Comment: jsii.String("serve /config.json, and index.html for SPA routes"),
		Code:    awscloudfront.FunctionCode_FromInline(jsii.String(viewerRequest(props.SPAConfig))),
		Runtime: awscloudfront.FunctionRuntime_JS_2_0(),
	})

	site := awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(bucket, nil)
	dist := awscloudfront.NewDistribution(c, jsii.String("Distribution"), &awscloudfront.DistributionProps{
		Comment:           jsii.String("bilhetagem: SPA and /api on one origin"),
		DefaultRootObject: jsii.String("index.html"),
		HttpVersion:       awscloudfront.HttpVersion_HTTP2_AND_3,
		// South American edges (São Paulo, Rio) are only in PriceClass_All.
		PriceClass:    awscloudfront.PriceClass_PRICE_CLASS_ALL,
		EnableLogging: jsii.Bool(true),
		LogBucket:     logBucket,
		LogFilePrefix: jsii.String("cloudfront/"),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                site,
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           htmlCache,
			ResponseHeadersPolicy: htmlHeaders,
			Compress:              jsii.Bool(true),
			FunctionAssociations: &[]*awscloudfront.FunctionAssociation{{
				Function:  rewrite,
				EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST,
			}},
		},
	})

	// Behaviours are matched in the order they are added: the catalog
	// reads, then /api/*, so an API path ending in .js can never be served
	// from the bucket.
	apiOrigin := awscloudfrontorigins.NewHttpOrigin(props.APIDomain, &awscloudfrontorigins.HttpOriginProps{
		ProtocolPolicy:     awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
		OriginSslProtocols: &[]awscloudfront.OriginSslPolicy{awscloudfront.OriginSslPolicy_TLS_V1_2},
	})
	ttl := awscdk.Duration_Seconds(jsii.Number(CatalogCacheSeconds))
	catalogCache := awscloudfront.NewCachePolicy(c, jsii.String("CatalogCache"), &awscloudfront.CachePolicyProps{
		Comment:    jsii.String("bilhetagem: public catalog reads, a few seconds, by query string"),
		MinTtl:     awscdk.Duration_Seconds(jsii.Number(0)),
		DefaultTtl: ttl,
		MaxTtl:     ttl,
		// The query string is the question (cinema, date, status); no
		// header or cookie is in the key, so none reaches the API.
		QueryStringBehavior:        awscloudfront.CacheQueryStringBehavior_All(),
		HeaderBehavior:             awscloudfront.CacheHeaderBehavior_None(),
		CookieBehavior:             awscloudfront.CacheCookieBehavior_None(),
		EnableAcceptEncodingGzip:   jsii.Bool(true),
		EnableAcceptEncodingBrotli: jsii.Bool(true),
	})
	for _, path := range CatalogPaths {
		dist.AddBehavior(jsii.String(path), apiOrigin, &awscloudfront.AddBehaviorOptions{
			AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_GET_HEAD_OPTIONS(),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
			CachePolicy:           catalogCache,
			OriginRequestPolicy:   awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
			ResponseHeadersPolicy: apiHeaders,
			Compress:              jsii.Bool(true),
		})
	}
	dist.AddBehavior(jsii.String(APIPrefix+"/*"), apiOrigin, &awscloudfront.AddBehaviorOptions{
		AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_ALL(),
		ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
		// No caching; with caching disabled this managed policy forwards
		// every viewer header, Authorization included, except Host (API
		// Gateway answers 403 to a foreign Host).
		CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
		OriginRequestPolicy:   awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
		ResponseHeadersPolicy: apiHeaders,
	})
	for _, pattern := range []string{"*.js", "*.css", "/media/*"} {
		dist.AddBehavior(jsii.String(pattern), site, &awscloudfront.AddBehaviorOptions{
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: assetHeaders,
			Compress:              jsii.Bool(true),
		})
	}
	return &Web{Construct: c, Bucket: bucket, LogBucket: logBucket, Distribution: dist}
}
