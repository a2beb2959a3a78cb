function X(t,{sampleRate:r=24e3,channels:e=1}={}){let[n,...s]=String(t).split(";");if(n.trim().toLowerCase()!=="audio/pcm")return null;let a=r,l=e;for(let M of s){let[c,f]=M.split("=").map(w=>w.trim().toLowerCase()),p=Number(f);!Number.isInteger(p)||p<=0||(c==="rate"?a=p:c==="channels"&&(l=p))}return{sampleRate:a,channels:l}}function it(t){let r=new Int16Array(t.length);for(let e=0;e<t.length;e++){let n=t[e];r[e]=n>=1?32767:n<=-1?-32768:Math.round(n<0?n*32768:n*32767)}return r}function ct(t){let r=new Float32Array(t.length);for(let e=0;e<t.length;e++)r[e]=t[e]/32768;return r}function ut(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var J=class{constructor(r=1){this.frameBytes=2*r,this.carry=new Uint8Array(0)}push(r){let e=ut(r);if(this.carry.length){let a=new Uint8Array(this.carry.length+e.length);a.set(this.carry),a.set(e,this.carry.length),e=a}let n=e.length-e.length%this.frameBytes;this.carry=e.slice(n);let s=new Int16Array(n/2);for(let a=0,l=0;a<s.length;a++,l+=2)s[a]=(e[l]|e[l+1]<<8)<<16>>16;return s}get pending(){return this.carry.length}},j=class{constructor(r,e,n=1){if(!(r>0&&e>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${r} → ${e})`);this.from=r,this.to=e,this.channels=n,this.step=r/e,this.pos=0,this.prev=null}process(r){let e=this.channels,n=Math.floor(r.length/e);if(this.from===this.to)return r.slice(0,n*e);if(n===0)return new Float32Array(0);let s=this.prev,a=s?1:0,l=n-1+a,M=(w,A)=>w<a&&s?s[A]:r[(w-a)*e+A],c=Math.max(0,Math.ceil((l-this.pos)/this.step)),f=new Float32Array(c*e),p=this.pos;for(let w=0;w<c;w++,p=this.pos+w*this.step){let A=Math.floor(p),y=p-A;for(let S=0;S<e;S++){let b=M(A,S);f[w*e+S]=b+y*(M(A+1,S)-b)}}return this.pos=this.pos+c*this.step-l,this.prev=r.slice((n-1)*e,n*e),f}flush(){let r=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let e=Math.max(0,Math.ceil((1-this.pos)/this.step)),n=new Float32Array(e*r);for(let s=0;s<e;s++)n.set(this.prev,s*r);return this.pos=0,this.prev=null,n}};function lt(t){if(!t.length)return 0;let r=t instanceof Int16Array?1/32768:1,e=0;for(let n=0;n<t.length;n++){let s=t[n]*r;e+=s*s}return Math.sqrt(e/t.length)}var Q=class{constructor(r){this.data=new Float32Array(r),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(r){let e=this.data.length,n=Math.min(r.length,e-this.available),s=(this.readAt+this.available)%e,a=Math.min(n,e-s);return this.data.set(r.subarray(0,a),s),n>a&&this.data.set(r.subarray(a,n),0),this.available+=n,n}read(r,e=r.length){let n=this.data.length,s=Math.min(e,r.length,this.available),a=Math.min(s,n-this.readAt);return r.set(this.data.subarray(this.readAt,this.readAt+a),0),s>a&&r.set(this.data.subarray(0,s-a),a),this.readAt=(this.readAt+s)%n,this.available-=s,s}clear(){this.readAt=0,this.available=0}};var pt=globalThis[Symbol.for("axio_nb.worklets")]??=new WeakMap;function Z(t,r,e){let n=pt.get(t);n||pt.set(t,n=new Map);let s=n.get(r);if(!s){if(!t.audioWorklet){let l="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(l))}let a=URL.createObjectURL(new Blob([e],{type:"text/javascript"}));s=t.audioWorklet.addModule(a).finally(()=>URL.revokeObjectURL(a)),s.catch(()=>n.delete(r)),n.set(r,s)}return s}var $="or pass a file or a variable instead.",tt={blocked:`Microphone blocked: allow it in the browser's site settings, ${$}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${$}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${$}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${$}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${$}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},wt=`VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or Notebook 7 in a browser, ${$}`;function xt(t=globalThis.location){return t?.protocol==="vscode-webview:"}var U=class extends Error{constructor(r,e,n){super(e,{cause:n}),this.name="CaptureError",this.reason=r}};function st(t,{secure:r=globalThis.isSecureContext,vscode:e=xt()}={}){if(t instanceof U)return t;let n=t?.name??"",s=M=>new U(M,e&&M==="blocked"?wt:tt[M],t??void 0);if(t===null)return s(e?"blocked":r===!1?"insecure":"unsupported");switch(n){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return s("blocked");case"NotFoundError":case"DevicesNotFoundError":return s("no-device");case"OverconstrainedError":{let c=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${$}`;return new U("no-device",c,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return s("busy")}let a=String(t?.message??t).split(`
`)[0],l=`The microphone failed to start (${n||"Error"}: ${a}), ${$}`;return new U("failed",l,t)}var rt="axio-nb-pcm-capture",Mt=1e3,vt=500,At=`
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.size = o.batchFrames;
    this.batch = new Float32Array(this.size);
    this.fill = 0;
    this.done = false;
    this.port.onmessage = ({ data: m }) => {
      if (m.type !== "stop") return;
      this.flush();
      this.done = true;
      this.port.postMessage({ type: "stopped" });
    };
  }
  flush() {
    if (!this.fill) return;
    const frames = this.batch;
    this.port.postMessage({ type: "frames", frames, length: this.fill }, [frames.buffer]);
    // The transfer detached the old array (its length is 0 now).
    this.batch = new Float32Array(this.size);
    this.fill = 0;
  }
  process(inputs) {
    if (this.done) return false;
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let at = 0; at < input.length; ) {
      const n = Math.min(input.length - at, this.size - this.fill);
      this.batch.set(input.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) this.flush();
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(rt)}, PcmCaptureProcessor);
`;async function ht({onChunk:t,onLevel:r,onEnd:e,sampleRate:n=24e3,chunkMs:s=40,constraints:a,context:l}){let M=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!M?.getUserMedia)throw st(null);let c;try{c=await M.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...a}})}catch(d){throw st(d)}let f=l??new AudioContext({latencyHint:"interactive"}),p=!l,[w]=c.getAudioTracks(),A=null,y=null,S=!1,b=()=>{if(!S){S=!0;for(let d of c.getTracks())d.stop();A?.disconnect(),y&&(y.port.onmessage=null,y.disconnect()),p&&f.state!=="closed"&&f.close().catch(()=>{})}};try{if(await Z(f,rt,At).catch(d=>{throw new U("unsupported",tt.unsupported,d)}),f.state!=="running"&&await Promise.race([f.resume(),new Promise(d=>setTimeout(d,Mt))]),f.state!=="running")throw new U("suspended",tt.suspended);A=f.createMediaStreamSource(c),y=new AudioWorkletNode(f,rt,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(f.sampleRate*Math.min(s,20)/1e3))}})}catch(d){throw b(),st(d)}let _=new j(f.sampleRate,n,1),o=Math.max(1,Math.round(n*s/1e3)),m=new Float32Array(o),u=0,C=d=>{u=0,r?.(Math.min(1,lt(d))),t(it(d).buffer)},g=d=>{for(let x=0;x<d.length;){let P=Math.min(o-u,d.length-x);m.set(d.subarray(x,x+P),u),u+=P,x+=P,u===o&&C(m)}},k=null,v=()=>{},R=()=>{S||(g(_.flush()),u&&C(m.subarray(0,u)),b(),v())};y.port.onmessage=({data:d})=>{d.type==="frames"?g(_.process(d.frames.subarray(0,d.length))):d.type==="stopped"&&R()},w?.addEventListener("ended",()=>{k||S||(R(),e?.(new U("ended",tt.ended)))}),A.connect(y),y.connect(f.destination);let F=y;return Object.freeze({stop(){return k??=new Promise(d=>{if(v=d,S)return d();F.port.postMessage({type:"stop"}),setTimeout(R,vt)}),k},sampleRate:n,inputSampleRate:f.sampleRate,settings:w?.getSettings?.()??{}})}var et="axio-nb-pcm-player",dt=`
const Ring = (${Q.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.waitFrames = o.waitFrames || 0;
    /** The output frame at which frames first arrived while not playing (null: none since). */
    this.waitingSince = null;
    this.progressFrames = o.progressFrames;
    this.tmp = new Float32Array(128 * o.channels);
    this.playing = false;
    this.ending = false;
    this.done = false;
    this.heard = false;
    this.started = false;
    this.read = 0;
    this.reported = 0;
    this.port.onmessage = ({ data: m }) => {
      if (m.type === "data") {
        const n = this.ring.write(m.samples);
        if (n < m.samples.length) this.post("overflow", { dropped: m.samples.length - n });
        if (!this.playing && this.waitingSince === null && n > 0) this.waitingSince = currentFrame;
      } else if (m.type === "end") this.ending = true;
      else if (m.type === "stop") {
        this.done = true;
        this.ring.clear();
      }
    };
  }
  post(type, extra) {
    this.reported = this.read;
    this.port.postMessage({ type, read: this.read, time: currentTime, ...extra });
  }
  process(inputs, outputs) {
    if (this.done) return false;
    const out = outputs[0];
    const n = out[0].length;
    const ch = this.channels;
    const frames = this.ring.available / ch;
    const waited =
      this.waitFrames > 0 && this.waitingSince !== null && currentFrame - this.waitingSince >= this.waitFrames;
    if (!this.playing && frames > 0 && (frames >= this.startFrames || this.ending || waited)) {
      this.playing = true;
      this.waitingSince = null;
      this.post("playing", { first: !this.started });
      this.started = true;
    }
    if (this.playing) {
      const got = Math.min(n, frames);
      this.ring.read(this.tmp, got * ch);
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = c < ch ? c : 0;
        for (let i = 0; i < got; i++) dst[i] = this.tmp[i * ch + src];
      }
      if (!this.heard) {
        for (let i = 0; i < got * ch; i++) {
          if (this.tmp[i] !== 0) {
            this.heard = true;
            this.post("audible", { time: currentTime + Math.floor(i / ch) / sampleRate });
            break;
          }
        }
      }
      this.read += got;
      if (got < n) {
        this.playing = false;
        if (!this.ending) this.post("underrun");
      }
    }
    if (!this.playing && this.ending && this.ring.available === 0) {
      this.post("ended");
      this.done = true;
      return false;
    }
    if (this.read - this.reported >= this.progressFrames) this.post("progress");
    return true;
  }
}
registerProcessor(${JSON.stringify(et)}, PcmPlayerProcessor);
`;var ft=100,St=50,kt=300,D=new Set(["ended","stopped","error"]);function mt({sampleRate:t=24e3,channels:r=1,context:e,destination:n,prebufferMs:s=0,maxWaitMs:a=0,leadMs:l=2e3}={}){let M=e??n?.context,c=M??new AudioContext({latencyHint:"interactive"}),f=!M,p=c.sampleRate,w=new J(r),A=new j(t,p,r),y=Math.max(1,Math.round(t*ft/1e3))*r,S=Math.max(1,Math.round(p*l/1e3)),b=[],_=0,o=0,m=0,u=!1,C=!1,g="loading",k=null,v=null,R=null,F=null,d=null,x=()=>{},P=new Promise(h=>x=h),E=()=>D.has(g)||c.state==="running"?g:"suspended";function N(h){h&&(g=h);let T=E();T!==k&&(k=T,G.onstate?.(T))}function K(h){let T=c.getOutputTimestamp?.();return T?.performanceTime&&T.contextTime!==void 0?T.performanceTime+(h-T.contextTime)*1e3:performance.now()+(c.outputLatency||c.baseLatency||0)*1e3}function B(h){!v||!h.length||(o+=h.length/r,v.port.postMessage({type:"data",samples:h},[h.buffer]))}function I(){if(!(!v||D.has(g))){for(;b.length&&o-m<S;){let h=b[0];h.length>y?(b[0]=h.subarray(y),h=h.subarray(0,y)):b.shift(),_-=h.length/r,B(A.process(ct(h)))}u&&!b.length&&!C&&(B(A.flush()),v.port.postMessage({type:"end"}),C=!0)}}function Y({data:h}){switch(m=h.read,h.type){case"playing":h.first&&(R=K(h.time)),N("playing");break;case"audible":F=K(h.time);break;case"underrun":N("underrun");break;case"ended":return V("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${h.dropped} samples dropped`);break}I()}function q(){c.state==="closed"?V("stopped"):N()}function V(h){if(!D.has(g)){if(b.length=0,_=0,v&&(h!=="ended"&&v.port.postMessage({type:"stop"}),v.port.onmessage=null,v.disconnect()),c.removeEventListener("statechange",q),f&&c.state!=="closed"){let T=()=>c.close().catch(()=>{});h==="ended"?setTimeout(T,kt):T()}N(h),x(h)}}let G={push(h){if(u||D.has(g))return;let T=w.push(h);T.length&&(b.push(T),_+=T.length/r,I())},end(){u||D.has(g)||(u=!0,I())},stop(){V("stopped")},resume(){return c.resume()},get state(){return E()},get startedAt(){return R},get audibleAt(){return F},get playedSeconds(){return m/p},get bufferedSeconds(){return D.has(g)?0:(o-m)/p+_/t},get context(){return c},get error(){return d},done:P,onstate:null};return c.addEventListener("statechange",q),queueMicrotask(()=>N()),f&&c.state==="suspended"&&c.resume().catch(()=>{}),Z(c,et,dt).then(()=>{D.has(g)||(v=new AudioWorkletNode(c,et,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[r],processorOptions:{channels:r,capacityFrames:S+2*Math.ceil(p*ft/1e3)+128,startFrames:Math.max(1,Math.min(S,Math.round(p*s/1e3))),waitFrames:Math.max(0,Math.round(p*a/1e3)),progressFrames:Math.round(p*St/1e3)}}),v.port.onmessage=Y,v.connect(n??c.destination),N("waiting"),I())}).catch(h=>{d=h,V("error")}),G}var ot=120,Et=60,_t=10,Tt=15,Ct=50,Rt=Symbol.for("axio_nb.voicePlayers");function gt({context:t,onstate:r,createPlayer:e=mt,now:n=()=>performance.now()}){let s=null,a=null,l=[],M=!1,c=Et,f=[],p={played:0,underruns:0,played_ms:0},w={played:0,underruns:0,played_ms:0};function A(o){if(!o)return;let m=o.player.playedSeconds;m>o.playedSec&&(p.played_ms+=Math.round((m-o.playedSec)*1e3),o.playedSec=m);let u=Math.floor(m*o.sampleRate)*o.frameBytes;for(;o.ends.length&&o.ends[0]<=u;)o.ends.shift(),p.played+=1}function y(o){if(typeof o!="number"||!Number.isFinite(o))return 0;let m=n()-o;return f.push(m),f.length>Ct&&f.shift(),Math.max(0,m-Math.min(...f))}function S(){let o=f.length?Math.max(...f)-Math.min(...f):0;return Math.min(ot,Math.max(c,o+Tt))}function b(o,m){let u=X(o)??{sampleRate:24e3,channels:1},C=Math.max(1,Math.round(S()-m)),g=e({...u,context:t(),prebufferMs:ot,maxWaitMs:C}),k={player:g,ends:[],pushed:0,playedSec:0,sampleRate:u.sampleRate,frameBytes:2*u.channels};g.onstate=F=>{F==="underrun"&&(p.underruns+=1,c=Math.min(ot,c+_t)),F==="playing"&&!M&&g.startedAt!==null&&(M=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:g.startedAt})),r?.(F)};let v=globalThis,R=v[Rt]??=new Set;return R.add(g),g.done.then(F=>{if(R.delete(g),F==="ended"&&(A(k),p.played+=k.ends.length,k.ends=[],s===k&&(s=null),a===k)){a=null;let d=l;l=[];for(let x of d)x?_.push(x.mediaType,x.sizes,x.data):_.end()}}),k}let _={push(o,m,u,C){let g=y(C);if(!s&&a){l.push({mediaType:o,sizes:m,data:u});return}let k=s??=b(o,g);for(let v of m)k.ends.push(k.pushed+=v);k.player.push(u)},end(){if(!s&&a){l.length&&l.push(null);return}if(!s)return;let o=s;s=null,a=o,o.player.end()},flush(){let o=0;for(let u of[a,s])u&&(A(u),o+=u.player.bufferedSeconds*1e3,u.player.stop());for(let u of l){let C=u&&(X(u.mediaType)??{sampleRate:24e3,channels:1});u&&C&&(o+=u.data.byteLength/(2*C.channels)/C.sampleRate*1e3)}let m=s||a||l.length;return s=a=null,l=[],m?(o=Math.round(o),globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:o}}),o):0},increments(){A(a),A(s);let o={played:p.played-w.played,underruns:p.underruns-w.underruns,played_ms:p.played_ms-w.played_ms};return Object.assign(w,p),o.played||o.underruns||o.played_ms?o:null},counts:p,get player(){return(a??s)?.player??null},stop(){a?.player.stop(),s?.player.stop(),s=a=null,l=[]}};return _}function W(t,r,e,n){let s=t.createElement(r);return e&&(s.className=e),n!==void 0&&(s.textContent=n),s}function H(t,r,e,n,s){let a=W(t,"button",r,e);return a.type="button",a.setAttribute("aria-label",n),a.addEventListener("click",s),a}var yt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},Ft=500,Pt=100,Lt=20;function Ot(t=Lt){let r=0,e=-1,n=0;return{admit(){if(r-1-e>=t)return n+=1,null;let s={type:"audio",seq:r++,t:Date.now()};return n&&(s.skipped=n,n=0),s},heard(s){Number.isInteger(s)&&(e=Math.max(e,s))},get sent(){return r}}}var Ut=/or pass a file or a variable instead\.$/;function Wt(t){return t instanceof U?{reason:t.reason,text:t.message.replace(Ut,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var ae={render({model:t,el:r}){let e=r.ownerDocument,n=W(e,"div","axio-nb-voice"),s=W(e,"div","axio-nb-voice-row"),a=H(e,"axio-nb-voice-mic","● Microphone","Microphone",()=>{N()}),l=W(e,"div","axio-nb-voice-level");l.setAttribute("role","meter"),l.setAttribute("aria-label","Microphone level"),l.setAttribute("aria-valuemin","0"),l.setAttribute("aria-valuemax","100");let M=W(e,"div","axio-nb-voice-level-bar");l.append(M);let c=W(e,"span","axio-nb-voice-state");c.setAttribute("role","status");let f=H(e,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!x()}),C=!x(),E()}),p=H(e,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),w=H(e,"axio-nb-voice-end","End","End",()=>{q()});s.append(a,l,c,f,p,w);let A=W(e,"div","axio-nb-voice-type"),y=W(e,"input","axio-nb-voice-text");y.type="text",y.placeholder="Type a message…",y.setAttribute("aria-label","Message to send");let S=H(e,"axio-nb-voice-send","Send","Send",()=>Y());A.append(y,S);let b=W(e,"div","axio-nb-voice-message");b.setAttribute("role","alert"),n.append(s,A,b),r.replaceChildren(n);let _=null,o="off",m=Ot(),u=!1,C=null,g=null,k=()=>g??=new AudioContext({latencyHint:"interactive"}),v=()=>{globalThis.AudioContext&&k().resume().catch(()=>{})},R=gt({context:k,onstate:i=>{i==="suspended"?b.textContent="The browser paused the voice: click anywhere here to hear it.":b.dataset.kind!=="mic"&&(b.textContent="")}}),F=!1,d=()=>!!t.get("push_to_talk"),x=()=>C??!!t.get("muted"),P=()=>F||t.get("state")==="ended";function E(){let i=F?"ended":String(t.get("state")||"connecting");n.dataset.state=i,n.dataset.mic=o,n.dataset.muted=String(x()),n.dataset.talking=String(u),c.textContent=x()&&o==="on"?`${yt[i]??i} · muted`:yt[i]??i,a.textContent=o==="on"?"■ Microphone":"● Microphone",a.setAttribute("aria-pressed",String(o==="on")),a.disabled=P()||!(Number(t.get("rate"))>0)||o!=="off"&&o!=="on",f.setAttribute("aria-pressed",String(x())),f.textContent=x()?"Unmute":"Mute",f.disabled=P(),l.setAttribute("aria-valuetext",x()?"muted":`${l.getAttribute("aria-valuenow")??0}`),p.setAttribute("aria-pressed",String(u)),p.disabled=P()||!d()||!(Number(t.get("rate"))>0),p.title=d()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",w.disabled=P(),y.disabled=S.disabled=P()}async function N(){v(),o==="off"?await K():o==="on"&&await B(!0)}async function K(){let i=Number(t.get("rate"));if(!(!(i>0)||o!=="off")){o="starting",E();try{_=await ht({sampleRate:i,chunkMs:Pt,onChunk:O=>{if(x()||d()&&!u)return;let L=m.admit();L&&t.send(L,void 0,[O])},onLevel:O=>{let L=x()?0:Math.min(100,Math.round(Math.sqrt(O)*140));M.style.width=`${L}%`,l.setAttribute("aria-valuenow",String(L))},onEnd:O=>V(O)})}catch(O){V(O);return}o="on",b.textContent="",t.send({type:"started",rate:_.sampleRate}),E()}}async function B(i){o!=="on"||!_||(o="stopping",E(),await _.stop(),_=null,M.style.width="0%",o="off",i&&t.send({type:"mic_off",chunks:m.sent}),E())}async function I(i){!d()||i===u||P()||(i?(v(),u=!0,t.send({type:"talk",on:!0}),E(),o==="off"&&await K()):(u=!1,t.send({type:"talk",on:!1}),E()))}function Y(){let i=y.value.trim();!i||P()||(v(),t.send({type:"text",text:i}),y.value="")}async function q(){await B(!1),t.send({type:"end"}),w.disabled=!0}function V(i){let{reason:O,text:L}=Wt(i);b.textContent=L,b.dataset.kind="mic",o="off",_=null,E(),t.send({type:"error",reason:O,message:L}),I(!1)}p.addEventListener("pointerdown",i=>{p.setPointerCapture?.(i.pointerId),I(!0)});for(let i of["pointerup","pointercancel","lostpointercapture"])p.addEventListener(i,()=>{I(!1)});let G=i=>{if(i.target===y){i.type==="keydown"&&i.key==="Enter"&&!i.shiftKey&&!i.isComposing&&(i.preventDefault(),Y());return}i.key!==" "||!d()||(i.preventDefault(),i.stopPropagation(),i.repeat||I(i.type==="keydown"))};n.addEventListener("keydown",G),n.addEventListener("keyup",G),n.addEventListener("click",()=>{g?.resume().catch(()=>{})});let h="audio/pcm;rate=24000",T=(i,O)=>{switch(i?.type){case"audio":{typeof i.media_type=="string"&&(h=i.media_type);let L=O?.[0];L&&R.push(h,Array.isArray(i.sizes)?i.sizes:[L.byteLength],L,i.t);break}case"audio_end":R.end();break;case"heard":m.heard(i.seq);break;case"flush":R.flush(),nt();break;case"stop":B(!1),R.stop(),nt();break}};function nt(){let i=R.increments();i&&t.send({type:"playback",...i})}let bt=setInterval(nt,Ft),z=()=>{if(F)return;let i=P();F=!0,B(!1),R.stop(),u=!1,E(),i||(c.textContent="Ended: the kernel is gone")},at=()=>{C=null,E()};return t.on("msg:custom",T),t.on("change:state",E),t.on("change:rate",E),t.on("change:muted",at),t.on("change:push_to_talk",E),t.on("comm:close",z),t.on("destroy",z),t.on("comm_live_update",z),E(),()=>{clearInterval(bt),t.off("msg:custom",T),t.off("change:state",E),t.off("change:rate",E),t.off("change:muted",at),t.off("change:push_to_talk",E),t.off("comm:close",z),t.off("destroy",z),t.off("comm_live_update",z),R.stop(),_?.stop(),g?.close().catch(()=>{})}}};export{Lt as MIC_AHEAD,Pt as MIC_CHUNK_MS,Ot as createMicGate,ae as default,Wt as micMessage};
